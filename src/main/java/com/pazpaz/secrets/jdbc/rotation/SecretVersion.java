package com.pazpaz.secrets.jdbc.rotation;

import com.pazpaz.secrets.jdbc.internal.SecretDocument;

/** One version of a secret as read by a rotation; {@code toString} shows no value. */
public record SecretVersion(String versionId, SecretDocument document) {}
