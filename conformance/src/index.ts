/** @synod/conformance: history checkers shared by real-process tests and the conformance suite (DESIGN §8, §9). */
export { checkAcknowledged } from "./checkers/check-acknowledged.js";
export { checkListener, type ListenObservation, type ListenerCheckOptions } from "./checkers/check-listener.js";
export { checkLogsAgree, type LogsAgreement } from "./checkers/check-logs-agree.js";
export { type LoggedEntry, violationsPerKindMax } from "./checkers/logged-entry.js";
