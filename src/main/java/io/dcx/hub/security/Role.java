package io.dcx.hub.security;

/** What a caller may do. ADMIN runs the hub; USER owns its outbound AI calls; BUYER posts conversions; SERVICE is internal. */
public enum Role {
    ADMIN,
    USER,
    BUYER,
    SERVICE
}
