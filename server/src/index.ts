/** @synod/server: the hub node, its configuration and its storage tools. */
export { startHub, synodVersion, type RunningHub, type StartOptions } from "./hub.js";
export { resolveHubConfig, readConfigFile, ConfigError, hubConfigDefaults, type HubConfig, type HubConfigInput } from "./config/hub-config.js";
export { streamLogger, silentLogger, type Logger } from "./logger.js";
export { dataPaths, readAddress, runningPid, DataDirError } from "./node/data-dir.js";
export { quarantineSegment, CorruptLogError } from "./storage/index.js";
