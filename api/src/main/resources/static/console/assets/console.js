// Shows every <time datetime="..."> in the browser's own time zone, on load and after each htmx swap.
(function () {
  function localTimes(root) {
    root.querySelectorAll('time[datetime]').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (!isNaN(d)) {
        t.textContent = d.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
        t.title = t.getAttribute('datetime');
      }
    });
  }
  // "select all" boxes tick every box of their form
  function selectAll(root) {
    root.querySelectorAll('input[data-select-all]').forEach(function (box) {
      box.addEventListener('change', function () {
        box.form.querySelectorAll('input[name="' + box.dataset.selectAll + '"]').forEach(function (b) {
          b.checked = box.checked;
        });
      });
    });
  }
  // forms that take a local date or time also send the browser's zone, so the server reads them as meant
  function browserZone(root) {
    root.querySelectorAll('input[data-browser-zone]').forEach(function (zone) {
      if (!zone.value) {
        zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
      }
    });
  }
  htmx.onLoad(function (root) {
    localTimes(root);
    selectAll(root);
    browserZone(root);
  });
})();

// Idle timeout: a live part refreshing itself (hx-trigger="every ...") marks its request as a poll,
// so an open page does not keep its session alive for ever (ConsoleIdleTimeout on the server).
document.addEventListener('htmx:configRequest', function (e) {
  var trigger = e.detail.elt && e.detail.elt.getAttribute && e.detail.elt.getAttribute('hx-trigger');
  if (trigger && /^\s*every\s/.test(trigger)) {
    e.detail.headers['X-Patchloop-Poll'] = 'true';
  }
});
