/**
 * The driver's machinery: settings resolution, secret reading and caching, the connect and
 * login-retry policy, TLS defaults, failure classification. Public only so that the driver's own
 * packages can use it; there is no compatibility promise, and applications should use {@link
 * com.pazpaz.secrets.jdbc.PazPazSecretsDriver} and {@link
 * com.pazpaz.secrets.jdbc.PazPazSecretsDataSource}.
 */
package com.pazpaz.secrets.jdbc.internal;
