package jp.tcportal.schema.schedule;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a monitor's time zone: an IANA id (case-insensitive, e.g. {@code Asia/Tokyo}) or a Windows
 * time zone id as {@code tzutil /g} and {@code Get-TimeZone} print it (e.g. {@code Tokyo Standard
 * Time}), mapped to its IANA zone by CLDR's windowsZones table (territory 001). Fixed offsets such
 * as {@code +09:00} are refused: they carry no DST rules, so the schedule would drift twice a year.
 */
public final class TimeZones {

  static final String FIELD = "schedule.time_zone";

  /** The dashboard's default zone, used when a schedule names none. */
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Tokyo");

  private static final Map<String, String> IANA_BY_LOWER_CASE = new TreeMap<>();

  static {
    for (String id : ZoneId.getAvailableZoneIds()) {
      // Region ids only: "SystemV/..." and the like are not IANA names.
      if (!id.startsWith("SystemV/")) {
        IANA_BY_LOWER_CASE.put(id.toLowerCase(Locale.ROOT), id);
      }
    }
  }

  private TimeZones() {}

  /** The zone for an IANA or Windows id; anything else is a 400 naming the field. */
  public static ZoneId resolve(String id) {
    if (id != null) {
      String key = id.trim().toLowerCase(Locale.ROOT);
      String iana = IANA_BY_LOWER_CASE.get(key);
      if (iana == null) {
        iana = WINDOWS_TO_IANA.get(key);
      }
      if (iana != null) {
        return ZoneId.of(iana);
      }
    }
    throw invalid();
  }

  static InvalidScheduleException invalid() {
    return new InvalidScheduleException(
        FIELD,
        FIELD
            + " must be an IANA time zone such as Asia/Tokyo or a Windows time zone id such as"
            + " Tokyo Standard Time");
  }

  /** The IANA id a Windows id maps to, or null; for tests and the form's hints. */
  static String windowsToIana(String windowsId) {
    return WINDOWS_TO_IANA.get(windowsId.toLowerCase(Locale.ROOT));
  }

  static Map<String, String> windowsTable() {
    return WINDOWS_TO_IANA;
  }

  // CLDR common/supplemental/windowsZones.xml, the territory "001" row of each Windows zone, with
  // IANA's canonical names where CLDR keeps an old alias (Asia/Calcutta -> Asia/Kolkata).
  private static final Map<String, String> WINDOWS_TO_IANA = new TreeMap<>();

  private static void map(String windows, String iana) {
    WINDOWS_TO_IANA.put(windows.toLowerCase(Locale.ROOT), iana);
  }

  static {
    map("Dateline Standard Time", "Etc/GMT+12");
    map("UTC-11", "Etc/GMT+11");
    map("Aleutian Standard Time", "America/Adak");
    map("Hawaiian Standard Time", "Pacific/Honolulu");
    map("Marquesas Standard Time", "Pacific/Marquesas");
    map("Alaskan Standard Time", "America/Anchorage");
    map("UTC-09", "Etc/GMT+9");
    map("Pacific Standard Time (Mexico)", "America/Tijuana");
    map("UTC-08", "Etc/GMT+8");
    map("Pacific Standard Time", "America/Los_Angeles");
    map("US Mountain Standard Time", "America/Phoenix");
    map("Mountain Standard Time (Mexico)", "America/Mazatlan");
    map("Mountain Standard Time", "America/Denver");
    map("Yukon Standard Time", "America/Whitehorse");
    map("Central America Standard Time", "America/Guatemala");
    map("Central Standard Time", "America/Chicago");
    map("Easter Island Standard Time", "Pacific/Easter");
    map("Central Standard Time (Mexico)", "America/Mexico_City");
    map("Canada Central Standard Time", "America/Regina");
    map("SA Pacific Standard Time", "America/Bogota");
    map("Eastern Standard Time (Mexico)", "America/Cancun");
    map("Eastern Standard Time", "America/New_York");
    map("Haiti Standard Time", "America/Port-au-Prince");
    map("Cuba Standard Time", "America/Havana");
    map("US Eastern Standard Time", "America/Indiana/Indianapolis");
    map("Turks And Caicos Standard Time", "America/Grand_Turk");
    map("Paraguay Standard Time", "America/Asuncion");
    map("Atlantic Standard Time", "America/Halifax");
    map("Venezuela Standard Time", "America/Caracas");
    map("Central Brazilian Standard Time", "America/Cuiaba");
    map("SA Western Standard Time", "America/La_Paz");
    map("Pacific SA Standard Time", "America/Santiago");
    map("Newfoundland Standard Time", "America/St_Johns");
    map("Tocantins Standard Time", "America/Araguaina");
    map("E. South America Standard Time", "America/Sao_Paulo");
    map("SA Eastern Standard Time", "America/Cayenne");
    map("Argentina Standard Time", "America/Argentina/Buenos_Aires");
    map("Greenland Standard Time", "America/Nuuk");
    map("Montevideo Standard Time", "America/Montevideo");
    map("Magallanes Standard Time", "America/Punta_Arenas");
    map("Saint Pierre Standard Time", "America/Miquelon");
    map("Bahia Standard Time", "America/Bahia");
    map("UTC-02", "Etc/GMT+2");
    map("Azores Standard Time", "Atlantic/Azores");
    map("Cape Verde Standard Time", "Atlantic/Cape_Verde");
    map("UTC", "Etc/UTC");
    map("GMT Standard Time", "Europe/London");
    map("Greenwich Standard Time", "Atlantic/Reykjavik");
    map("Sao Tome Standard Time", "Africa/Sao_Tome");
    map("Morocco Standard Time", "Africa/Casablanca");
    map("W. Europe Standard Time", "Europe/Berlin");
    map("Central Europe Standard Time", "Europe/Budapest");
    map("Romance Standard Time", "Europe/Paris");
    map("Central European Standard Time", "Europe/Warsaw");
    map("W. Central Africa Standard Time", "Africa/Lagos");
    map("Jordan Standard Time", "Asia/Amman");
    map("GTB Standard Time", "Europe/Bucharest");
    map("Middle East Standard Time", "Asia/Beirut");
    map("Egypt Standard Time", "Africa/Cairo");
    map("E. Europe Standard Time", "Europe/Chisinau");
    map("Syria Standard Time", "Asia/Damascus");
    map("West Bank Standard Time", "Asia/Hebron");
    map("South Africa Standard Time", "Africa/Johannesburg");
    map("FLE Standard Time", "Europe/Kiev");
    map("Israel Standard Time", "Asia/Jerusalem");
    map("South Sudan Standard Time", "Africa/Juba");
    map("Kaliningrad Standard Time", "Europe/Kaliningrad");
    map("Sudan Standard Time", "Africa/Khartoum");
    map("Libya Standard Time", "Africa/Tripoli");
    map("Namibia Standard Time", "Africa/Windhoek");
    map("Arabic Standard Time", "Asia/Baghdad");
    map("Turkey Standard Time", "Europe/Istanbul");
    map("Arab Standard Time", "Asia/Riyadh");
    map("Belarus Standard Time", "Europe/Minsk");
    map("Russian Standard Time", "Europe/Moscow");
    map("E. Africa Standard Time", "Africa/Nairobi");
    map("Volgograd Standard Time", "Europe/Volgograd");
    map("Iran Standard Time", "Asia/Tehran");
    map("Arabian Standard Time", "Asia/Dubai");
    map("Astrakhan Standard Time", "Europe/Astrakhan");
    map("Azerbaijan Standard Time", "Asia/Baku");
    map("Russia Time Zone 3", "Europe/Samara");
    map("Mauritius Standard Time", "Indian/Mauritius");
    map("Saratov Standard Time", "Europe/Saratov");
    map("Georgian Standard Time", "Asia/Tbilisi");
    map("Caucasus Standard Time", "Asia/Yerevan");
    map("Afghanistan Standard Time", "Asia/Kabul");
    map("West Asia Standard Time", "Asia/Tashkent");
    map("Ekaterinburg Standard Time", "Asia/Yekaterinburg");
    map("Pakistan Standard Time", "Asia/Karachi");
    map("Qyzylorda Standard Time", "Asia/Qyzylorda");
    map("India Standard Time", "Asia/Kolkata");
    map("Sri Lanka Standard Time", "Asia/Colombo");
    map("Nepal Standard Time", "Asia/Kathmandu");
    map("Central Asia Standard Time", "Asia/Almaty");
    map("Bangladesh Standard Time", "Asia/Dhaka");
    map("Omsk Standard Time", "Asia/Omsk");
    map("Myanmar Standard Time", "Asia/Yangon");
    map("SE Asia Standard Time", "Asia/Bangkok");
    map("Altai Standard Time", "Asia/Barnaul");
    map("W. Mongolia Standard Time", "Asia/Hovd");
    map("North Asia Standard Time", "Asia/Krasnoyarsk");
    map("N. Central Asia Standard Time", "Asia/Novosibirsk");
    map("Tomsk Standard Time", "Asia/Tomsk");
    map("China Standard Time", "Asia/Shanghai");
    map("North Asia East Standard Time", "Asia/Irkutsk");
    map("Singapore Standard Time", "Asia/Singapore");
    map("W. Australia Standard Time", "Australia/Perth");
    map("Taipei Standard Time", "Asia/Taipei");
    map("Ulaanbaatar Standard Time", "Asia/Ulaanbaatar");
    map("Aus Central W. Standard Time", "Australia/Eucla");
    map("Transbaikal Standard Time", "Asia/Chita");
    map("Tokyo Standard Time", "Asia/Tokyo");
    map("North Korea Standard Time", "Asia/Pyongyang");
    map("Korea Standard Time", "Asia/Seoul");
    map("Yakutsk Standard Time", "Asia/Yakutsk");
    map("Cen. Australia Standard Time", "Australia/Adelaide");
    map("AUS Central Standard Time", "Australia/Darwin");
    map("E. Australia Standard Time", "Australia/Brisbane");
    map("AUS Eastern Standard Time", "Australia/Sydney");
    map("West Pacific Standard Time", "Pacific/Port_Moresby");
    map("Tasmania Standard Time", "Australia/Hobart");
    map("Vladivostok Standard Time", "Asia/Vladivostok");
    map("Lord Howe Standard Time", "Australia/Lord_Howe");
    map("Bougainville Standard Time", "Pacific/Bougainville");
    map("Russia Time Zone 10", "Asia/Srednekolymsk");
    map("Magadan Standard Time", "Asia/Magadan");
    map("Norfolk Standard Time", "Pacific/Norfolk");
    map("Sakhalin Standard Time", "Asia/Sakhalin");
    map("Central Pacific Standard Time", "Pacific/Guadalcanal");
    map("Russia Time Zone 11", "Asia/Kamchatka");
    map("New Zealand Standard Time", "Pacific/Auckland");
    map("UTC+12", "Etc/GMT-12");
    map("Fiji Standard Time", "Pacific/Fiji");
    map("Chatham Islands Standard Time", "Pacific/Chatham");
    map("UTC+13", "Etc/GMT-13");
    map("Tonga Standard Time", "Pacific/Tongatapu");
    map("Samoa Standard Time", "Pacific/Apia");
    map("Line Islands Standard Time", "Pacific/Kiritimati");
  }
}
