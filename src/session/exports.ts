/* The automation script and playbook: built from a host model's facts by the same step definitions the page runs. */
export { DEFAULT_OPTIONS, contextFromFacts, exportAnsible, exportShell, type PrepareOptions, type StepContext } from "../steps";
