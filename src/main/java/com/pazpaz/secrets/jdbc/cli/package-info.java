/**
 * The operator commands ({@code verify}, {@code rotate}, {@code generate-password}) behind the
 * drop-in jar's {@code Main-Class}. Their names, options and exit codes are the contract; the
 * classes have no compatibility promise.
 */
package com.pazpaz.secrets.jdbc.cli;
