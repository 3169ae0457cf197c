package com.pazpaz.secrets.jdbc;

/** One version of a secret as read by a rotation; {@code toString} shows no value. */
record SecretVersion(String versionId, SecretDocument document) {}
