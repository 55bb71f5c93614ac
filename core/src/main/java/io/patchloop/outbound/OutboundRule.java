package io.patchloop.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of {@code patchloop.outbound.deny} or {@code allow}: a CIDR, an address or a host name,
 * optionally with a port ({@code 10.0.0.0/8}, {@code 127.0.0.1:3306}, {@code [fd00:ec2::254]:80},
 * {@code db.internal:3306}). A host name matches the name itself and every address it resolves to
 * when checked, so another name (or the bare address) of the same machine does not get past it.
 */
final class OutboundRule {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?");

  private final String text;
  private final byte[] network;
  private final int prefixBits;
  private final String hostName;
  private final Integer port;

  private OutboundRule(String text, byte[] network, int prefixBits, String hostName, Integer port) {
    this.text = text;
    this.network = network;
    this.prefixBits = prefixBits;
    this.hostName = hostName;
    this.port = port;
  }

  /** @param label why the rule is there (built-in rules), or null */
  static OutboundRule parse(String entry, String label) {
    String s = entry.strip();
    String text = label == null ? s : s + " (" + label + ")";
    String host = s;
    Integer port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw bad(entry, "an IPv6 address in [ ] lacks its ]");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw bad(entry, "only :port may follow [address]");
        }
        port = port(entry, rest.substring(1));
      }
    } else if (s.chars().filter(c -> c == ':').count() == 1) {
      int colon = s.indexOf(':');
      host = s.substring(0, colon);
      port = port(entry, s.substring(colon + 1));
    }
    String address = host;
    int bits = -1;
    int slash = host.indexOf('/');
    if (slash >= 0) {
      address = host.substring(0, slash);
      try {
        bits = Integer.parseInt(host.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw bad(entry, "the prefix length after / is not a number");
      }
    }
    if (IPV4.matcher(address).matches() || address.contains(":")) {
      byte[] bytes;
      try {
        bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup
      } catch (UnknownHostException e) {
        throw bad(entry, "is not an IP address");
      }
      int max = bytes.length * 8;
      if (bits < 0) {
        bits = max;
      }
      if (bits > max) {
        throw bad(entry, "the prefix length is longer than the address");
      }
      return new OutboundRule(text, bytes, bits, null, port);
    }
    if (slash >= 0 || !HOST_NAME.matcher(address).matches()) {
      throw bad(entry, "is neither a CIDR, an address nor a host name");
    }
    return new OutboundRule(text, null, 0, address.toLowerCase(Locale.ROOT), port);
  }

  private static Integer port(String entry, String digits) {
    try {
      int p = Integer.parseInt(digits);
      if (p < 1 || p > 65535) {
        throw bad(entry, "the port must be between 1 and 65535");
      }
      return p;
    } catch (NumberFormatException e) {
      throw bad(entry, "the port is not a number");
    }
  }

  private static IllegalArgumentException bad(String entry, String why) {
    return new IllegalArgumentException("patchloop.outbound rule '" + entry + "': " + why);
  }

  /** @param destinationName the host as the caller wrote it (lower case), to match name rules by name too */
  boolean matches(String destinationName, InetAddress address, int destinationPort) {
    if (port != null && port != destinationPort) {
      return false;
    }
    if (network != null) {
      return inNetwork(network, prefixBits, address.getAddress());
    }
    if (hostName.equals(destinationName)) {
      return true;
    }
    try {
      // cached by the JVM like every lookup; a name that does not resolve matches by name only
      return Arrays.stream(InetAddress.getAllByName(hostName)).anyMatch(a -> a.equals(address));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean inNetwork(byte[] network, int bits, byte[] address) {
    if (network.length != address.length) {
      return false;
    }
    int whole = bits / 8;
    for (int i = 0; i < whole; i++) {
      if (network[i] != address[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (network[whole] & mask) == (address[whole] & mask);
  }

  @Override
  public String toString() {
    return text;
  }
}
