/*
 * How the UI shows what runs on a host: the one audited quoting, the copyable line with what goes to stdin, the
 * command log, sizes, and a domain XML with its secrets masked. The UI renders these; it builds no command.
 */
export { quoteArgv } from "../host/quote";
export { copyableLine, sizeText, type CommandJournal, type JournalEntry } from "../host/journal";
export { commandLine } from "../steps";
export { SECRET_MASK, maskDomainSecrets } from "../migration/xml-secrets";
export { explainLibvirtError, type ExplainedError } from "../migration/errors";
