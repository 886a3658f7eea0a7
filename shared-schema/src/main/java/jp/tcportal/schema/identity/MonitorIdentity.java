package jp.tcportal.schema.identity;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import jp.tcportal.schema.report.Kind;

/**
 * The id of a monitor: a name-based UUID (RFC 9562, version 5) of {@code (task_key, kind,
 * machine_name)}, so every service computes it without a database round trip.
 *
 * <p>The name is each part's UTF-8 bytes preceded by their length as a 4-byte big-endian integer.
 * Length prefixes keep the encoding unambiguous whatever characters the parts contain ("a|b" + "c"
 * never meets "a" + "b|c"). An absent machine name is encoded as an empty one, matching the spec's
 * unique index {@code COALESCE(machine_name, '')}.
 */
public final class MonitorIdentity {

  /** Fixed for the life of the system: changing it would give every monitor a new id. */
  public static final UUID NAMESPACE = UUID.fromString("4890bc69-fe28-4594-b376-697197c950e1");

  private MonitorIdentity() {}

  public static UUID monitorId(String taskKey, Kind kind, String machineName) {
    ByteArrayOutputStream name = new ByteArrayOutputStream();
    append(name, taskKey);
    append(name, kind.wireName());
    append(name, machineName == null ? "" : machineName);
    return nameBasedSha1(NAMESPACE, name.toByteArray());
  }

  private static void append(ByteArrayOutputStream out, String part) {
    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  static UUID nameBasedSha1(UUID namespace, byte[] name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime provides SHA-1", e);
    }
    sha1.update(
        ByteBuffer.allocate(16)
            .putLong(namespace.getMostSignificantBits())
            .putLong(namespace.getLeastSignificantBits())
            .array());
    byte[] hash = sha1.digest(name);
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // RFC 9562 variant
    ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bits.getLong(), bits.getLong());
  }
}
