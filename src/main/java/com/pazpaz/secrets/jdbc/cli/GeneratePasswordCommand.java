package com.pazpaz.secrets.jdbc.cli;

import com.pazpaz.secrets.jdbc.rotation.PasswordGenerator;
import java.util.Set;

/** {@code generate-password [--length N]}: prints one password of {@link PasswordGenerator}. */
public final class GeneratePasswordCommand implements Command {

  private final PasswordGenerator generator;

  GeneratePasswordCommand(PasswordGenerator generator) {
    this.generator = generator;
  }

  @Override
  public String name() {
    return "generate-password";
  }

  @Override
  public String summary() {
    return "print a random database password";
  }

  @Override
  public String help() {
    return """
           Usage: generate-password [--length N]

           Prints one password from SecureRandom and nothing else, for a script to capture:
           letters, digits and - _ . (no character needs quoting in a URL, a shell, JSON or a
           connection string), starting with a letter or digit, with at least one lower-case and
           one upper-case letter, one digit and one symbol.

             --length N   32 to 1024 characters (default 64)

           Exit codes: 0 printed, 2 usage error.

           Example:
             PGPASSWORD="$(java -jar pazpaz-secrets-jdbc-all.jar generate-password)"
           """;
  }

  @Override
  public Set<String> optionNames() {
    return Set.of("length");
  }

  @Override
  public int maxPositional() {
    return 0;
  }

  @Override
  public int run(Arguments arguments, CommandContext context) throws UsageException {
    int length = PasswordGenerator.DEFAULT_LENGTH;
    if (arguments.option("length").isPresent()) {
      String value = arguments.option("length").get();
      try {
        length = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new UsageException("--length must be a whole number, not '" + value + "'");
      }
    }
    String password;
    try {
      password = generator.generate(length);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--length: " + e.getMessage());
    }
    context.out().println(password);
    return ExitCodes.OK;
  }
}
