package com.pazpaz.secrets.jdbc.cli;

import com.pazpaz.secrets.jdbc.internal.JdbcUrl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command's arguments: positional values, {@code --name value} / {@code --name=value} options and
 * {@code --name} flags, checked against what the command accepts, plus {@code --help} / {@code -h}.
 */
public final class Arguments {

  private final List<String> positional;
  private final Map<String, String> options;
  private final Set<String> flags;
  private final boolean help;

  private Arguments(
      List<String> positional, Map<String, String> options, Set<String> flags, boolean help) {
    this.positional = positional;
    this.options = options;
    this.flags = flags;
    this.help = help;
  }

  static Arguments parse(List<String> args, Set<String> optionNames, int maxPositional)
      throws UsageException {
    return parse(args, optionNames, Set.of(), maxPositional);
  }

  /**
   * @param optionNames the options that take a value, without the leading dashes
   * @param flagNames the options that take no value, without the leading dashes
   * @param maxPositional how many positional values the command takes
   * @throws UsageException for an unknown option, an option without a value, a repeated option or
   *     too many positional values
   */
  static Arguments parse(
      List<String> args, Set<String> optionNames, Set<String> flagNames, int maxPositional)
      throws UsageException {
    List<String> positional = new ArrayList<>();
    Map<String, String> options = new HashMap<>();
    Set<String> flags = new HashSet<>();
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
      } else if (arg.startsWith("--")) {
        int equals = arg.indexOf('=');
        String name = arg.substring(2, equals < 0 ? arg.length() : equals);
        if (flagNames.contains(name)) {
          if (equals >= 0) {
            throw new UsageException("--" + name + " takes no value");
          }
          if (!flags.add(name)) {
            throw new UsageException("--" + name + " is given twice");
          }
          continue;
        }
        if (!optionNames.contains(name)) {
          throw new UsageException("unknown option --" + name);
        }
        String value;
        if (equals >= 0) {
          value = arg.substring(equals + 1);
        } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
          value = args.get(++i);
        } else {
          throw new UsageException("--" + name + " needs a value");
        }
        if (options.put(name, value) != null) {
          throw new UsageException("--" + name + " is given twice");
        }
      } else if (arg.startsWith("-") && arg.length() > 1) {
        throw new UsageException("unknown option " + arg);
      } else {
        positional.add(arg);
      }
    }
    if (!help && positional.size() > maxPositional) {
      throw new UsageException("unexpected argument '" + positional.get(maxPositional) + "'");
    }
    return new Arguments(List.copyOf(positional), Map.copyOf(options), Set.copyOf(flags), help);
  }

  boolean help() {
    return help;
  }

  Optional<String> positional(int index) {
    return index < positional.size() ? Optional.of(positional.get(index)) : Optional.empty();
  }

  /** The JDBC URL in the first positional value, {@code jdbc:pazpaz-secrets:} when none. */
  String jdbcUrl() throws UsageException {
    String url = positional(0).orElse(JdbcUrl.PREFIX);
    if (!JdbcUrl.accepts(url)) {
      throw new UsageException("the URL must start with " + JdbcUrl.PREFIX);
    }
    return url;
  }

  /** Whether the flag {@code --name} was given. */
  boolean flag(String name) {
    return flags.contains(name);
  }

  Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }
}
