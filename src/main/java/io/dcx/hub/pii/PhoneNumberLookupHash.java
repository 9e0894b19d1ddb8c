package io.dcx.hub.pii;

/**
 * Implemented by whatever stores phone numbers encrypted with a keyed lookup hash ({@code
 * call_sessions.phone_number_hash}, user-scoped AI calls): the hash that number would be stored under. Erase requests
 * find those calls through every bean of this type; without one, hashed numbers cannot be matched and the erase
 * report says so ({@code hashed_numbers_searched: false}).
 */
public interface PhoneNumberLookupHash {

    /** The lookup hash of an E.164 number, as stored in {@code phone_number_hash}. */
    String lookupHash(String e164);
}
