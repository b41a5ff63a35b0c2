/*
 * Values a host prints that the page only shows or compares (versions, firmware strings, unit states, firewall
 * names): one line of printable text, short, or a stricter form where the tool has one.
 */
import { _ } from "../../lib/cockpit";
import { Brand, Result, asString, err, valueError, hasControl, hasLoneSurrogate, ok, valueType } from "./common";

export type HostText = Brand<string, "HostText">;
export type Word = Brand<string, "Word">;

const LINE_BREAKS = /[\u2028\u2029\ufeff]/;

/** One line of printable text of at most 256 characters. */
export const HostText = valueType<HostText>(input => {
    const s = asString("host-text", input);
    if (!s.ok)
        return s;
    const v = s.value;
    if ([...v].length > 256 || hasControl(v) || hasLoneSurrogate(v) || LINE_BREAKS.test(v))
        return err(valueError("host-text", "form", input, _("“$0” is not one line of printable text of at most 256 characters")));
    return ok(v as HostText);
});

/**
 * A word as tools print names, states and versions: letters, digits and . _ + - ~ ^ @ : / ( ), at most 128 characters
 * ("MIGRATION_ENABLED(2)", "28.39.1002", "5.14.0-503.el9.x86_64", "virtqemud.socket", "49152-49215/tcp").
 */
export const Word = valueType<Word>(input => {
    const s = asString("word", input);
    if (!s.ok)
        return s;
    if (!/^[A-Za-z0-9._+~^@:/()-]{1,128}$/.test(s.value))
        return err(valueError("word", "form", input, _("“$0” is not a name or version (letters, digits and . _ + - ~ ^ @ : / ( ), at most 128)")));
    return ok(s.value as Word);
});

export const isValid = <T>(t: { parse: (input: unknown) => Result<T> }, input: unknown): boolean => t.parse(input).ok;
