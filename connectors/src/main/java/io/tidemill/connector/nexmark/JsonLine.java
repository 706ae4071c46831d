package io.tidemill.connector.nexmark;

import java.io.IOException;
import java.io.Writer;

/**
 * A reusable builder of one flat JSON object on one line, for writing events and output rows
 * without a JSON library and without allocating per record.
 *
 * <pre>{@code
 * JsonLine line = new JsonLine();
 * line.begin().field("auction", 1000).field("channel", "Google").end();
 * line.writeTo(writer); // {"auction":1000,"channel":"Google"}\n
 * }</pre>
 *
 * <p>Field names are written as given and must not need escaping; string values are escaped as
 * JSON requires. Longs are written as JSON integers. Not thread-safe.
 */
public final class JsonLine {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder text = new StringBuilder(256);
    private char[] copyBuffer = new char[256];
    private boolean firstField;

    /** Clears the builder and opens a new object. */
    public JsonLine begin() {
        text.setLength(0);
        text.append('{');
        firstField = true;
        return this;
    }

    /** Appends a long field, written as a JSON integer. */
    public JsonLine field(String name, long value) {
        name(name);
        text.append(value);
        return this;
    }

    /** Appends a string field; {@code null} is written as JSON {@code null}. */
    public JsonLine field(String name, String value) {
        name(name);
        if (value == null) {
            text.append("null");
        } else {
            appendQuoted(text, value);
        }
        return this;
    }

    /** Closes the object. */
    public JsonLine end() {
        text.append('}');
        return this;
    }

    /** The object built so far, without a line terminator. Valid until the next {@link #begin()}. */
    public CharSequence text() {
        return text;
    }

    /** The object as a new string. */
    @Override
    public String toString() {
        return text.toString();
    }

    /** Writes the object followed by {@code '\n'}, copying through a reused buffer. */
    public void writeTo(Writer out) throws IOException {
        int length = text.length();
        if (copyBuffer.length < length + 1) {
            copyBuffer = new char[Math.max(length + 1, copyBuffer.length * 2)];
        }
        text.getChars(0, length, copyBuffer, 0);
        copyBuffer[length] = '\n';
        out.write(copyBuffer, 0, length + 1);
    }

    private void name(String name) {
        if (!firstField) {
            text.append(',');
        }
        firstField = false;
        text.append('"').append(name).append("\":");
    }

    /** Appends {@code value} as a quoted JSON string, escaping quotes, backslashes and controls. */
    public static void appendQuoted(StringBuilder out, String value) {
        out.append('"');
        int length = value.length();
        int plainFrom = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(value, plainFrom, i);
            plainFrom = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(value, plainFrom, length);
        out.append('"');
    }
}
