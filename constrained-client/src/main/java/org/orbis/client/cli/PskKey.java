package org.orbis.client.cli;

/** A pre-shared key parsed from the command line; {@link #toString()} hides it so no trace or log can show it. */
public record PskKey(byte[] bytes) {

    public PskKey {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "PskKey[" + bytes.length + " bytes, hidden]";
    }
}
