/**
 * @synod/conformance: the conformance suite (DESIGN §8) as a library — load and run
 * cases programmatically — and the history checkers shared by real-process tests
 * (DESIGN §9). The command line is `synod-conformance` (docs/conformance.md).
 */
export { checkAcknowledged } from "./checkers/check-acknowledged.js";
export { checkListener, checkStreamContinuity, type ListenObservation, type ListenerCheckOptions } from "./checkers/check-listener.js";
export { checkLogsAgree, type LogsAgreement } from "./checkers/check-logs-agree.js";
export { type LoggedEntry, violationsPerKindMax } from "./checkers/logged-entry.js";
export { caseFormat, type CaseSide, type CaseTier, type ConformanceCase, type Outcome, type Step } from "./case-format/case-types.js";
export { CaseFileError, casesDir, loadCases, parseCase } from "./case-format/load-cases.js";
export { runSuite, selectCases, type Selection, type SuiteOptions } from "./runner/run-suite.js";
export { formatTable, type CaseStatus, type ReportRow, type RunReport } from "./runner/report.js";
export type { AdapterRequest, NodeSpec, MemberSpec, StartedNode } from "./adapter/adapter-contract.js";
