package io.patchloop.notifications;

import io.patchloop.outbound.OutboundPolicy;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLException;
import org.springframework.stereotype.Component;

/**
 * SMTP through jakarta.mail, with the channel's own server, security and login; plain-text mail.
 * The server is checked against the {@link OutboundPolicy} on every send; the connect, each read
 * and each write get what is left of the one deadline {@code patchloop.outbound.timeout}, and the
 * connection is closed when the deadline has passed, however the conversation is going.
 */
@Component
public class EmailSender implements ChannelSender {

  private final OutboundPolicy policy;

  public EmailSender(OutboundPolicy policy) {
    this.policy = policy;
  }

  @Override
  public ChannelType type() {
    return ChannelType.EMAIL;
  }

  @Override
  public void send(ChannelSpec channel, Message message, long deliveryId) {
    long deadline = System.nanoTime() + policy.timeout().toNanos();
    ChannelSpec.Email e = channel.email();
    String security = e.securityOrDefault();
    String protocol = security.equals("TLS") ? "smtps" : "smtp";
    SendDestination.check(policy, e.host(), e.portOrDefault(), deadline);
    String left = Long.toString(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    Properties p = new Properties();
    p.put("mail.transport.protocol", protocol);
    p.put("mail." + protocol + ".host", e.host());
    p.put("mail." + protocol + ".port", Integer.toString(e.portOrDefault()));
    p.put("mail." + protocol + ".auth", Boolean.toString(e.username() != null));
    p.put("mail." + protocol + ".connectiontimeout", left);
    p.put("mail." + protocol + ".timeout", left);
    p.put("mail." + protocol + ".writetimeout", left);
    if (security.equals("STARTTLS")) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    if (security.equals("TLS")) {
      p.put("mail.smtps.ssl.checkserveridentity", "true");
    }
    // every read and write has its own timeout; this closes the connection at the deadline too, so a
    // server that answers one byte at a time (each read in time) cannot hold the send beyond it
    DeadlineSockets sockets = new DeadlineSockets();
    p.put("mail." + protocol + ".socketFactory", sockets);
    ScheduledFuture<?> watchdog = WATCHDOG.schedule(sockets::expire, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    Session session = Session.getInstance(p);
    try {
      MimeMessage mail = new MimeMessage(session);
      mail.setFrom(new InternetAddress(e.from()));
      for (String to : e.recipients()) {
        mail.addRecipient(RecipientType.TO, new InternetAddress(to));
      }
      mail.setSubject("[Patchloop] " + message.title(), "UTF-8");
      mail.setText(message.text(), "UTF-8");
      mail.setSentDate(new Date());
      mail.setHeader("X-Patchloop-Delivery", Long.toString(deliveryId));
      try (Transport transport = session.getTransport(protocol)) {
        transport.connect(e.host(), e.portOrDefault(), e.username(), e.password());
        transport.sendMessage(mail, mail.getAllRecipients());
      }
    } catch (jakarta.mail.AuthenticationFailedException auth) {
      throw new DeliveryException("the SMTP server refused the login", auth.getMessage(), true);
    } catch (MessagingException failed) {
      throw new DeliveryException(sockets.expired() ? timedOut() : reason(failed), failed.getMessage(), failed);
    } finally {
      watchdog.cancel(false);
    }
  }

  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "patchloop-smtp-deadline");
    t.setDaemon(true);
    return t;
  });

  /**
   * Makes the SMTP connection's plain socket (jakarta.mail layers TLS over it for STARTTLS and
   * smtps) and closes it when the deadline has passed: a blocked read or write then fails at once.
   */
  static final class DeadlineSockets extends SocketFactory {

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean expired;

    @Override
    public Socket createSocket() throws IOException {
      Socket s = new Socket();
      sockets.add(s);
      if (expired) {
        s.close();
      }
      return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      Socket s = createSocket();
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      Socket s = createSocket();
      s.bind(new InetSocketAddress(localHost, localPort));
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      Socket s = createSocket();
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      Socket s = createSocket();
      s.bind(new InetSocketAddress(localAddress, localPort));
      s.connect(new InetSocketAddress(address, port));
      return s;
    }

    void expire() {
      expired = true;
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing is all that is wanted
        }
      }
    }

    boolean expired() {
      return expired;
    }
  }

  private String timedOut() {
    return SendDestination.timedOut(policy);
  }

  /** In Patchloop's words; the server's own (its greeting, its error line) is the admin-only detail. */
  private String reason(MessagingException failed) {
    for (Throwable t = failed; t != null; t = t instanceof MessagingException m && m.getNextException() != null
        ? m.getNextException() : t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return timedOut();
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof SSLException) {
        return "TLS failed";
      }
      if (t instanceof UnknownHostException) {
        return "could not resolve the host";
      }
    }
    return "the SMTP server did not take the message";
  }
}
