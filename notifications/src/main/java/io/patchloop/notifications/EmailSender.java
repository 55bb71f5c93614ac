package io.patchloop.notifications;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.Properties;
import org.springframework.stereotype.Component;

/** SMTP through jakarta.mail, with the channel's own server, security and login; plain-text mail. */
@Component
public class EmailSender implements ChannelSender {

  static final String TIMEOUT_MILLIS = "10000";

  @Override
  public ChannelType type() {
    return ChannelType.EMAIL;
  }

  @Override
  public void send(ChannelSpec channel, Message message, long deliveryId) {
    ChannelSpec.Email e = channel.email();
    String security = e.securityOrDefault();
    String protocol = security.equals("TLS") ? "smtps" : "smtp";
    Properties p = new Properties();
    p.put("mail.transport.protocol", protocol);
    p.put("mail." + protocol + ".host", e.host());
    p.put("mail." + protocol + ".port", Integer.toString(e.portOrDefault()));
    p.put("mail." + protocol + ".auth", Boolean.toString(e.username() != null));
    p.put("mail." + protocol + ".connectiontimeout", TIMEOUT_MILLIS);
    p.put("mail." + protocol + ".timeout", TIMEOUT_MILLIS);
    p.put("mail." + protocol + ".writetimeout", TIMEOUT_MILLIS);
    if (security.equals("STARTTLS")) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    if (security.equals("TLS")) {
      p.put("mail.smtps.ssl.checkserveridentity", "true");
    }
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
      throw new DeliveryException("the SMTP server " + e.host() + " refused the login: " + auth.getMessage(), true);
    } catch (MessagingException failed) {
      throw new DeliveryException("sending mail through " + e.host() + ":" + e.portOrDefault() + " failed: "
          + failed.getMessage(), failed);
    }
  }
}
