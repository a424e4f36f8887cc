/**
 * The client driver for Synod's TypeScript SDK (the contract is in
 * conformance/src/driver/driver-contract.ts and docs/conformance.md): the JSON-lines
 * loop on stdin/stdout around `@synod/sdk/node`.
 *
 * Usage: node --import tsx conformance/drivers/synod-sdk-driver.ts
 */
import { runDriverLoop } from "../src/driver/driver-loop.js";
import { SdkClientUnderTest } from "../src/driver/sdk-client-under-test.js";
import { exitWhenDrained, stdioChannel } from "../src/driver/stdio-channel.js";

await runDriverLoop(new SdkClientUnderTest(), stdioChannel());
await exitWhenDrained(0);
