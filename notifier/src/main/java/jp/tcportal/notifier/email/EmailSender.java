package jp.tcportal.notifier.email;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.MimeMessage;
import jp.tcportal.notifier.NotifierSettings;
import jp.tcportal.notifier.channel.Channel;
import jp.tcportal.notifier.channel.ChannelType;
import jp.tcportal.notifier.send.ChannelSender;
import jp.tcportal.notifier.send.Outbound;
import jp.tcportal.notifier.send.SendOutcome;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends a plain-text e-mail through the SMTP server of {@code spring.mail.*}. An unreachable or
 * refusing server is retried (it is the server, not the channel); addresses the server refuses for
 * good end the delivery.
 */
@Component
class EmailSender implements ChannelSender {

  private final ObjectProvider<JavaMailSender> mail;
  private final NotifierSettings settings;

  EmailSender(ObjectProvider<JavaMailSender> mail, NotifierSettings settings) {
    this.mail = mail;
    this.settings = settings;
  }

  @Override
  public ChannelType type() {
    return ChannelType.EMAIL;
  }

  @Override
  public SendOutcome send(Channel channel, Outbound outbound) {
    JavaMailSender sender = mail.getIfAvailable();
    if (sender == null) {
      return SendOutcome.retry("e-mail: no SMTP server configured (spring.mail.host)", null);
    }
    EmailMessage message = EmailMessage.render(outbound.notice(), channel.language());
    try {
      MimeMessage mime = sender.createMimeMessage();
      MimeMessageHelper helper = new MimeMessageHelper(mime, false, "UTF-8");
      helper.setFrom(settings.mailFrom());
      helper.setTo(channel.toAddresses().toArray(String[]::new));
      helper.setSubject(message.subject());
      helper.setText(message.body(), false);
      // Lets a mail rule or a person tell a resend after a crash from a new incident.
      mime.setHeader("X-TCPortal-Event-Id", outbound.notice().event().eventId().toString());
      sender.send(mime);
      return SendOutcome.sent();
    } catch (MessagingException | MailParseException | MailPreparationException e) {
      return SendOutcome.rejected("e-mail: " + e.getMessage());
    } catch (MailSendException e) {
      boolean addressesRefused =
          e.getFailedMessages().values().stream()
              .anyMatch(
                  failure ->
                      failure instanceof SendFailedException refused
                          && refused.getInvalidAddresses() != null
                          && refused.getInvalidAddresses().length > 0);
      return addressesRefused
          ? SendOutcome.rejected("e-mail: addresses refused: " + e.getMessage())
          : SendOutcome.retry("e-mail: " + e.getMessage(), null);
    } catch (MailAuthenticationException e) {
      return SendOutcome.retry("e-mail: SMTP authentication failed: " + e.getMessage(), null);
    } catch (MailException e) {
      return SendOutcome.retry("e-mail: " + e.getMessage(), null);
    }
  }
}
