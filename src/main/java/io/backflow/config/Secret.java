package io.backflow.config;

import java.io.Serializable;
import java.util.Objects;

/** A resolved secret (password, token). Its {@link #toString()} never reveals the value. */
public record Secret(String value) implements Serializable {

    public static final String MASK = "******";

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return MASK;
    }

    /** A copy of reader or connector options with credential-like values masked, for logs. */
    public static java.util.Map<String, String> maskOptions(java.util.Map<String, String> options) {
        java.util.Map<String, String> masked = new java.util.TreeMap<>();
        options.forEach((name, value) -> masked.put(name,
                isSensitiveName(name) ? MASK : PostgresConfig.maskUrl(value)));
        return masked;
    }

    /** Whether an option name suggests it holds a credential. */
    /**
     * A URL fit for logs and messages: user info and query (which may carry a token, e.g. an API key
     * resolved from {@code ${env:…}}) are masked; scheme, host, port and path are kept.
     */
    public static String maskUrl(java.net.URI url) {
        if (url == null) {
            return "null";
        }
        String text = (url.getScheme() == null ? "" : url.getScheme() + "://")
                + (url.getUserInfo() == null ? "" : MASK + "@") + (url.getHost() == null ? "" : url.getHost())
                + (url.getPort() < 0 ? "" : ":" + url.getPort()) + (url.getRawPath() == null ? "" : url.getRawPath());
        return url.getRawQuery() == null ? text : text + "?" + MASK;
    }

        public static boolean isSensitiveName(String name) {
        return name.toLowerCase(java.util.Locale.ROOT)
                .matches(".*(password|secret|token|private|passphrase|credential|auth).*");
    }
}
