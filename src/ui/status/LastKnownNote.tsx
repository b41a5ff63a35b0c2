import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { useEffect, useState } from "react";
import { _, format, ngettext } from "../../lib/cockpit";

/** "12 seconds", "3 minutes", "2 hours", "4 days": how old a reading is, in whole units. */
export function ageText(ms: number): string {
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60)
        return format(ngettext("$0 second", "$0 seconds", s), s);
    const m = Math.floor(s / 60);
    if (m < 60)
        return format(ngettext("$0 minute", "$0 minutes", m), m);
    const h = Math.floor(m / 60);
    if (h < 48)
        return format(ngettext("$0 hour", "$0 hours", h), h);
    const d = Math.floor(h / 24);
    return format(ngettext("$0 day", "$0 days", d), d);
}

/** Above verdicts from an earlier reading: how old they are, and that the host is being read again. */
export function LastKnownNote({ hostKey, at }: { hostKey: string; at: number }) {
    const [now, setNow] = useState(() => Date.now());
    useEffect(() => {
        const t = window.setInterval(() => setNow(Date.now()), 1000);
        return () => window.clearInterval(t);
    }, []);
    return (
        <Alert id={`vfm-last-known-${hostKey}`} data-at={at} variant="info" isInline isPlain
               title={format(_("Last known verdicts, read $0 ago: reading the host again…"), ageText(now - at))} />
    );
}
