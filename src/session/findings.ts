/*
 * The verdicts the UI lists: the host and pair checks (pure functions of a host model's facts), the VM checks and
 * the verification after a migration, each with its id and title.
 */
export { evaluateHost, evaluateHostSoFar, GROUPS, HOST_CHECKS, PAIR_CHECKS, unlessReading } from "../checks";
export { REFUSING_CHECK_IDS } from "../checks";
export { vfState } from "../checks/sriov";
export { VM_CHECKS, VM_CHECK_TITLES, nicsOf, type VmCheck } from "../migration/vm-checks";
export { GUEST_SIDE, VERIFY_CHECKS, VERIFY_TITLES, type VerifyCheck } from "../migration/verify";
