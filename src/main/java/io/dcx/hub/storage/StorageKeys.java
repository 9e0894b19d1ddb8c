package io.dcx.hub.storage;

import java.util.regex.Pattern;

/** Object keys the hub accepts: relative paths of safe characters, no empty, "." or ".." segments. */
final class StorageKeys {

    private static final Pattern SAFE = Pattern.compile("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$");

    private StorageKeys() {}

    static String check(String key) {
        if (key == null || !SAFE.matcher(key).matches() || key.contains("/../") || key.startsWith("../")
                || key.endsWith("/..") || key.equals("..") || key.contains("/./") || key.startsWith("./")) {
            throw new IllegalArgumentException("Not a valid object key: " + key);
        }
        return key;
    }

    static boolean isValid(String key) {
        try {
            check(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
