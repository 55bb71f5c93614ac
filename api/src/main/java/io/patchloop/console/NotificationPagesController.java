package io.patchloop.console;

import io.patchloop.api.audit.Audited;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.ConflictException;
import io.patchloop.common.DeliveryStatus;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.notifications.ChannelSender;
import io.patchloop.notifications.ChannelStore;
import io.patchloop.notifications.ChannelType;
import io.patchloop.notifications.DeliveryStore;
import io.patchloop.notifications.NotificationChannel;
import io.patchloop.notifications.NotificationEvent;
import io.patchloop.notifications.NotificationService;
import io.patchloop.notifications.SubscriptionStore;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Notifications: channels (an admin creates, edits, tests and deletes them), subscriptions (which
 * events go to which channel) and the deliveries that failed. The stores and service behind the
 * API's NotificationController do the work and the checking. A channel's secrets never reach a page.
 */
@Controller
class NotificationPagesController {

  static final int PAGE_SIZE = 50;

  private final ChannelStore channels;
  private final SubscriptionStore subscriptions;
  private final DeliveryStore deliveries;
  private final NotificationService notifications;

  NotificationPagesController(ChannelStore channels, SubscriptionStore subscriptions, DeliveryStore deliveries,
      NotificationService notifications) {
    this.channels = channels;
    this.subscriptions = subscriptions;
    this.deliveries = deliveries;
    this.notifications = notifications;
  }

  /** A channel as the list shows it: where its messages go (never a secret) and the events it gets. */
  record ChannelRow(NotificationChannel channel, String target, List<NotificationEvent> events) {}

  record SubscriptionRow(SubscriptionStore.Subscription subscription, String channelName) {}

  /** @param subjectLink the console page of what the delivery was about (a ticket, a plan), or null */
  record DeliveryRow(DeliveryStore.Delivery delivery, String channelName, String subjectLink) {}

  /** What a channel's test button did, shown on the page it returns to. */
  /** @param detail what the channel answered: the test is an admin's action, so an admin reads it */
  record TestResult(long channelId, String channelName, boolean sent, String error, String detail) {}

  @GetMapping("/console/notifications")
  String page(@RequestParam(required = false) Integer page, Model model) {
    List<NotificationChannel> all = channels.list();
    Map<Long, String> names = all.stream().collect(Collectors.toMap(NotificationChannel::id, NotificationChannel::name));
    List<SubscriptionStore.Subscription> subs = subscriptions.list();
    Map<Long, List<NotificationEvent>> eventsOf = subs.stream().collect(Collectors.groupingBy(
        SubscriptionStore.Subscription::channelId, Collectors.mapping(SubscriptionStore.Subscription::event,
            Collectors.toList())));
    model.addAttribute("channels", all.stream()
        .map(c -> new ChannelRow(c, target(c), eventsOf.getOrDefault(c.id(), List.of()))).toList());
    model.addAttribute("subscriptions", subs.stream()
        .map(s -> new SubscriptionRow(s, names.getOrDefault(s.channelId(), "#" + s.channelId()))).toList());
    PageResult<DeliveryStore.Delivery> failed = deliveries.page(DeliveryStatus.FAILED, PageRequest.of(page, PAGE_SIZE));
    model.addAttribute("failed", failed.items().stream()
        .map(d -> new DeliveryRow(d, names.getOrDefault(d.channelId(), "#" + d.channelId()), subjectLink(d))).toList());
    model.addAttribute("pages", Paging.of(failed));
    model.addAttribute("types", ChannelType.values());
    model.addAttribute("events", NotificationEvent.values());
    model.addAttribute("levels", ComplianceLevel.values());
    return "console/notifications";
  }

  @GetMapping("/console/notifications/channels/new")
  String newChannel(@RequestParam(required = false) ChannelType type, Model model) {
    ChannelForm form = new ChannelForm();
    if (type != null) {
      form.setType(type);
    }
    return form(form, null, FormFeedback.none(), model);
  }

  @PostMapping("/console/notifications/channels")
  String create(@ModelAttribute("form") ChannelForm form, BindingResult binding, Model model,
      RedirectAttributes redirect) {
    if (binding.hasErrors()) {
      return form(form, null, FormFeedback.of("Invalid notification channel",
          FormFeedback.binding(binding, ChannelForm.API_PATHS)), model);
    }
    try {
      NotificationChannel created = channels.create(form.toSpec(false));
      redirect.addFlashAttribute("notice", "Channel " + created.name() + " created. Send it a test message to see that it works.");
      return "redirect:/console/notifications";
    } catch (InvalidInputException e) {
      return form(form, null, FormFeedback.of(e.getMessage(), e.problems()), model);
    } catch (ConflictException e) {
      return form(form, null, conflict(e), model);
    }
  }

  @GetMapping("/console/notifications/channels/{id}/edit")
  String edit(@PathVariable long id, Model model) {
    NotificationChannel stored = channels.get(id);
    return form(ChannelForm.of(stored), stored, FormFeedback.none(), model);
  }

  @PostMapping("/console/notifications/channels/{id}")
  String update(@PathVariable long id, @ModelAttribute("form") ChannelForm form, BindingResult binding, Model model,
      RedirectAttributes redirect) {
    NotificationChannel stored = channels.get(id);
    form.setType(stored.type()); // a channel keeps its type
    if (binding.hasErrors()) {
      return form(form, stored, FormFeedback.of("Invalid notification channel",
          FormFeedback.binding(binding, ChannelForm.API_PATHS)), model);
    }
    try {
      NotificationChannel updated = channels.update(id, form.toSpec(true));
      redirect.addFlashAttribute("notice", "Channel " + updated.name() + " saved.");
      return "redirect:/console/notifications";
    } catch (InvalidInputException e) {
      return form(form, stored, FormFeedback.of(e.getMessage(), e.problems()), model);
    } catch (ConflictException e) {
      return form(form, stored, conflict(e), model);
    }
  }

  private static FormFeedback conflict(ConflictException e) {
    return FormFeedback.of(e.getMessage(), e.field() == null ? List.of() : List.of(new FieldProblem(e.field(), e.getMessage())));
  }

  /** @param stored the channel being edited (masked, as the API shows it), null for a new one */
  private String form(ChannelForm form, NotificationChannel stored, FormFeedback problems, Model model) {
    model.addAttribute("form", form);
    model.addAttribute("stored", stored);
    // the title is made here: Thymeleaf refuses the word "new" in a fragment's parameter
    model.addAttribute("title", stored == null ? "New " + form.getType() + " channel" : "Edit channel " + stored.name());
    model.addAttribute("errors", problems);
    return "console/channel-form";
  }

  @PostMapping("/console/notifications/channels/{id}/delete")
  String delete(@PathVariable long id, @RequestParam(required = false) boolean confirm, RedirectAttributes redirect) {
    NotificationChannel c = channels.get(id);
    if (!confirm) {
      Audited.refused();
      redirect.addFlashAttribute("notice", "Not deleted: tick the box that confirms it first.");
      return "redirect:/console/notifications/channels/" + id + "/edit";
    }
    channels.delete(id);
    redirect.addFlashAttribute("notice", "Channel " + c.name() + " deleted, with its subscriptions and deliveries.");
    return "redirect:/console/notifications";
  }

  /** Sends a test message at once, as the API's test call does, and says on the page what came of it. */
  @PostMapping("/console/notifications/channels/{id}/test")
  String test(@PathVariable long id, RedirectAttributes redirect) {
    NotificationChannel c = channels.get(id);
    TestResult result;
    try {
      notifications.sendTest(id);
      result = new TestResult(id, c.name(), true, null, null);
    } catch (ChannelSender.DeliveryException e) {
      Audited.refused();
      result = new TestResult(id, c.name(), false, e.getMessage(), e.detail());
    }
    redirect.addFlashAttribute("testResult", result);
    return "redirect:/console/notifications";
  }

  @PostMapping("/console/notifications/subscriptions")
  String subscribe(@RequestParam(required = false) Long channelId, @RequestParam(required = false) NotificationEvent event,
      @RequestParam(required = false) ComplianceLevel minLevel, RedirectAttributes redirect) {
    try {
      SubscriptionStore.Subscription s = subscriptions.create(new SubscriptionStore.SubscriptionSpec(channelId, event, minLevel));
      redirect.addFlashAttribute("notice", "Subscribed: " + s.event() + " now goes to "
          + channels.get(s.channelId()).name() + ".");
    } catch (InvalidInputException e) {
      Audited.refused();
      redirect.addFlashAttribute("subscriptionProblems", FormFeedback.of(e.getMessage(), e.problems()));
    } catch (ConflictException e) {
      Audited.refused();
      redirect.addFlashAttribute("subscriptionProblems", conflict(e));
    }
    return "redirect:/console/notifications#subscriptions";
  }

  @PostMapping("/console/notifications/subscriptions/{id}/delete")
  String unsubscribe(@PathVariable long id, RedirectAttributes redirect) {
    SubscriptionStore.Subscription s = subscriptions.get(id);
    subscriptions.delete(id);
    redirect.addFlashAttribute("notice", "Unsubscribed: " + s.event() + " no longer goes to channel "
        + channels.get(s.channelId()).name() + ".");
    return "redirect:/console/notifications#subscriptions";
  }

  /** Where a channel's messages go, from its masked settings only. */
  static String target(NotificationChannel c) {
    return switch (c.type()) {
      case EMAIL -> c.email().from() + " → " + String.join(", ", c.email().recipients()) + " via " + c.email().host()
          + ":" + c.email().port() + " (" + c.email().security() + ")";
      case WECOM -> c.wecom().webhookUrl();
      case SMS -> c.sms().method() + " " + c.sms().url() + " → " + String.join(", ", c.sms().recipients());
      case WEBHOOK -> "POST " + c.webhook().url() + " (signed)";
    };
  }

  /** A delivery's subject is a ticket id ({@code id@LEVEL} for newly non-compliant hosts) or a plan's run. */
  static String subjectLink(DeliveryStore.Delivery d) {
    String ref = d.subjectRef();
    if (ref == null) {
      return null;
    }
    if (d.event() == NotificationEvent.PLAN_RUN_SKIPPED) {
      var m = java.util.regex.Pattern.compile("plan-(\\d+)-\\d+").matcher(ref);
      return m.matches() ? "/console/plans/" + m.group(1) : null;
    }
    int at = ref.indexOf('@');
    return "/console/tickets/" + (at < 0 ? ref : ref.substring(0, at));
  }
}
