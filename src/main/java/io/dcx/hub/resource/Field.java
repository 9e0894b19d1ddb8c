package io.dcx.hub.resource;

/**
 * One field of an API resource: its JSON name (= column name), type, who may write it and, for references, the
 * resource it points to.
 */
public record Field(String name, Type type, Access access, ResourceDefinition.Ref references) {

    public enum Type { TEXT, INTEGER, LONG, BOOLEAN, UUID, TIMESTAMP, JSON }

    /** WRITABLE: set on create and by PATCH; CREATE_ONLY: set on create only; PATCH_ONLY: server-set, editable; READ_ONLY. */
    public enum Access { WRITABLE, CREATE_ONLY, PATCH_ONLY, READ_ONLY }

    public static Field of(String name, Type type) {
        return new Field(name, type, Access.WRITABLE, null);
    }

    public static Field readOnly(String name, Type type) {
        return new Field(name, type, Access.READ_ONLY, null);
    }

    public static Field createOnly(String name, Type type) {
        return new Field(name, type, Access.CREATE_ONLY, null);
    }

    public static Field patchOnly(String name, Type type) {
        return new Field(name, type, Access.PATCH_ONLY, null);
    }

    public static Field reference(String name, ResourceDefinition.Ref target, boolean patchable) {
        return new Field(name, Type.UUID, patchable ? Access.WRITABLE : Access.CREATE_ONLY, target);
    }

    boolean creatable() {
        return access == Access.WRITABLE || access == Access.CREATE_ONLY;
    }

    boolean patchable() {
        return access == Access.WRITABLE || access == Access.PATCH_ONLY;
    }
}
