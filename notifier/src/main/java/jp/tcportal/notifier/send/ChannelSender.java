package jp.tcportal.notifier.send;

import jp.tcportal.notifier.channel.Channel;
import jp.tcportal.notifier.channel.ChannelType;

/** Sends to one type of channel and says what the answer means; never throws for a bad answer. */
public interface ChannelSender {

  ChannelType type();

  SendOutcome send(Channel channel, Outbound outbound);
}
