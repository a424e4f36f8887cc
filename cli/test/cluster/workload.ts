/**
 * The workload of cluster fault tests: idempotent appenders and live listeners that
 * record a history for the checkers in @synod/conformance (DESIGN §8, §9).
 */
export { startAppenders, type AckedAppend, type AppendHistory, type Appenders, type AppendersOptions } from "./appenders.js";
export { startListener, type Listener, type ListenerOptions, type ListenHistory, type ListenRecord } from "./listeners.js";
