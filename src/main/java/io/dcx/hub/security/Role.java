package io.dcx.hub.security;

/** What a caller may do. ADMIN runs the hub; USER owns its outbound AI calls; BUYER posts conversions; SERVICE is internal. */
public enum Role {
    ADMIN,
    USER,
    BUYER,
    SERVICE,
    /** A publisher (supplier) API key: pings the RTB exchange for its own campaigns ({@code POST /api/rtb/ping}). */
    SUPPLIER
}
