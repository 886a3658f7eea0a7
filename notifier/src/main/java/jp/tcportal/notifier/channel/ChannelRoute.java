package jp.tcportal.notifier.channel;

import java.util.UUID;

/** What the consumer needs of an enabled channel to decide whether an event goes there. */
public record ChannelRoute(UUID id, ChannelType type, ChannelFilter filter) {}
