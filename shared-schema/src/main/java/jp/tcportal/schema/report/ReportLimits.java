package jp.tcportal.schema.report;

/**
 * The size limits a report must respect. They protect the pipeline and the database. The limits of
 * what identifies a monitor ({@code task_key}, {@code machine_name}) and of the body are stated in
 * the error a client gets when they are exceeded; over-long {@code task_name}, {@code log_url} and
 * {@code message} are stored cut to their limit with a marker instead, as the spec's server stored
 * them whole ({@link ReportParser#truncated}).
 */
public final class ReportLimits {

  /** Largest request body the gateway reads (413 above it). */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  /** Deepest JSON nesting accepted; a report is flat, unknown extra fields may nest a little. */
  public static final int MAX_NESTING_DEPTH = 16;

  /** Longest JSON number literal accepted, in characters. */
  public static final int MAX_NUMBER_LENGTH = 32;

  public static final int MAX_TASK_KEY_LENGTH = 200;
  public static final int MAX_TASK_NAME_LENGTH = 500;
  public static final int MAX_MACHINE_NAME_LENGTH = 255;
  public static final int MAX_LOG_URL_LENGTH = 4096;
  public static final int MAX_MESSAGE_LENGTH = 65_536;

  /** Windows reports NTSTATUS exit codes unsigned (0xC0000005 = 3221225477); both forms fit. */
  public static final long MIN_EXIT_CODE = Integer.MIN_VALUE;

  public static final long MAX_EXIT_CODE = 0xFFFF_FFFFL;

  private ReportLimits() {}
}
