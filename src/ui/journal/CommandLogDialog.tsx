import { useState, useSyncExternalStore } from "react";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { Label } from "@patternfly/react-core/dist/esm/components/Label/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { Checkbox } from "@patternfly/react-core/dist/esm/components/Checkbox/index.js";
import { _, format, ngettext } from "../../lib/cockpit";
import { type CommandJournal, type JournalEntry, sizeText } from "../../session/show";

const SHOWN = 100;

function Outcome({ e }: { e: JournalEntry }) {
    if (e.error)
        return <Label color="red" isCompact>{e.error.message}</Label>;
    if (e.signal)
        return <Label color="red" isCompact>{format(_("killed by $0"), e.signal)}</Label>;
    if (e.via && e.exitStatus === 0)
        return <Label color="green" isCompact>{_("done")}</Label>;
    return <Label color={e.exitStatus === 0 ? "green" : "orange"} isCompact>{format(_("exit status $0"), e.exitStatus ?? "?")}</Label>;
}

function Entry({ e, where }: { e: JournalEntry; where: string }) {
    const syslog: Record<JournalEntry["syslog"], string> = {
        "not-needed": "",
        pending: _("writing to the system log…"),
        written: _("written to the host's system log"),
        failed: _("could not be written to the host's system log"),
    };
    const peerSyslog: Record<NonNullable<JournalEntry["peer"]>["syslog"], string> = {
        pending: _("writing to the system log of $0…"),
        written: _("also written to the system log of $0"),
        failed: _("could not be written to the system log of $0"),
    };
    return (
        <li id={`vfm-log-entry-${e.id}`} className="vfm-log-entry" data-changes={e.changes} data-host={e.host} data-via={e.via}>
            <div className="vfm-log-meta">
                <span>{new Date(e.startedAt).toLocaleTimeString()}</span>
                <span className="vfm-mono vfm-log-where">{where}</span>
                <Outcome e={e} />
                <span>{format(_("$0 ms"), e.durationMs)}</span>
                {e.repeats &&
                    <span className="vfm-log-repeats">
                        {format(ngettext("ran $0 more time, last at $1", "ran $0 more times, last at $1", e.repeats.count),
                                e.repeats.count, new Date(e.repeats.lastAt).toLocaleTimeString())}
                    </span>}
                {e.changes && <Label color="blue" isCompact>{_("changes the host")}</Label>}
                {e.syslog !== "not-needed" && <span>{syslog[e.syslog]}</span>}
                {e.peer && <span>{format(peerSyslog[e.peer.syslog], e.peer.host)}</span>}
                {e.via && <Label color="purple" isCompact className="vfm-log-via">{format(_("via $0, the same as this command"), e.via)}</Label>}
                {e.truncated &&
                    <Label color="orange" isCompact className="vfm-log-truncated">{format(_("output cut at $0"), sizeText(e.truncated.limit))}</Label>}
            </div>
            {e.call && <div className="vfm-log-call vfm-mono">{e.call}</div>}
            <ClipboardCopy isReadOnly isCode hoverTip={_("Copy")} clickTip={_("Copied")}
                           variant={e.line.includes("\n") ? "expansion" : "inline-compact"}>
                {e.line}
            </ClipboardCopy>
            {(e.stdout || e.stderr) &&
                <details>
                    <summary>{_("Output")}</summary>
                    <pre className="vfm-evidence vfm-mono">{e.stdout}{e.stderr ? (e.stdout ? "\n" : "") + e.stderr : ""}</pre>
                </details>}
        </li>
    );
}

/**
 * Every command this page ran, on every host, newest first: the line to copy, where and as whom, the outcome and
 * the raw output. Reads (the status probes) can be hidden to see only what changed the hosts.
 */
export function CommandLogDialog({ journal, onClose }: { journal: CommandJournal; onClose: () => void }) {
    const entries = useSyncExternalStore(cb => journal.subscribe(cb), () => journal.entries());
    const [changesOnly, setChangesOnly] = useState(false);
    const [limit, setLimit] = useState(SHOWN);
    const [copied, setCopied] = useState(false);
    const list = entries.filter(e => !changesOnly || e.changes).slice().reverse();
    return (
        <Modal id="vfm-command-log" isOpen variant="large" onClose={onClose} aria-labelledby="vfm-command-log-title">
            <ModalHeader title={_("Command log")} labelId="vfm-command-log-title"
                         description={_("Every command this page ran in this session. Commands that change a host are also written to that host's system log (tag cockpit-vf-migration).")} />
            <ModalBody>
                {/* a filter of the list: a checkbox, as the other choices of this page (PatternFly's Switch alone cost ≈ 1.5 KB of the bundle) */}
                <Checkbox id="vfm-command-log-changes" label={_("Only commands that change a host")}
                          isChecked={changesOnly} onChange={(_ev, v) => setChangesOnly(v)} />
                {list.length === 0
                    ? <p id="vfm-command-log-empty">{_("No command has run yet.")}</p>
                    : <ul className="vfm-log">{list.slice(0, limit).map(e => <Entry key={e.id} e={e} where={journal.where(e)} />)}</ul>}
                {list.length > limit &&
                    <Button variant="link" id="vfm-command-log-more" onClick={() => setLimit(l => l + SHOWN)}>
                        {format(_("Show $0 more"), Math.min(SHOWN, list.length - limit))}
                    </Button>}
            </ModalBody>
            <ModalFooter>
                <Button variant="secondary" id="vfm-command-log-copy-all" isDisabled={entries.length === 0}
                        onClick={() => { navigator.clipboard.writeText(journal.asText()).then(() => setCopied(true), () => setCopied(false)) }}>
                    {copied ? _("Copied") : _("Copy the whole log")}
                </Button>
                <Button variant="primary" id="vfm-command-log-close" onClick={onClose}>{_("Close")}</Button>
            </ModalFooter>
        </Modal>
    );
}
