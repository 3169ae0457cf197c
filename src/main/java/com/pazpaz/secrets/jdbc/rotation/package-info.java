/**
 * The rotation engine (AWS's four steps, single-user and alternating-users) shared by the {@code
 * rotate} command and the Lambda rotation function. No compatibility promise except the Lambda
 * handler's class name.
 */
package com.pazpaz.secrets.jdbc.rotation;
