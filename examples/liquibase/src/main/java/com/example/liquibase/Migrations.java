package com.example.liquibase;

import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.exception.CommandExecutionException;

/** Applies db/changelog/db.changelog-master.yaml with the credentials of the secret. */
public final class Migrations {

  private Migrations() {}

  public static void update() throws CommandExecutionException {
    new CommandScope(UpdateCommandStep.COMMAND_NAME)
        .addArgumentValue(
            DbUrlConnectionArgumentsCommandStep.URL_ARG,
            "jdbc:pazpaz-secrets:pazpaz/database-credentials")
        .addArgumentValue(
            UpdateCommandStep.CHANGELOG_FILE_ARG, "db/changelog/db.changelog-master.yaml")
        .execute();
  }

  public static void main(String[] args) throws CommandExecutionException {
    update();
  }
}
