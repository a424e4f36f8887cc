/**
 * ControlService: test-only fault injection for the conformance suite
 * (DESIGN §8; docs/protocol.md, "ControlService"). Admin token only
 * (auth-interceptor.ts). Served only with `--enable-test-control`; otherwise
 * the service is registered without methods, so every call answers
 * `unimplemented` and nothing can be armed.
 */
import type { ConnectRouter } from "@connectrpc/connect";
import { ControlService } from "@synod/proto/control";
import type { FailPoints } from "../control/fail-points.js";
import { invalidArgument } from "../hub-error.js";
import { wireError } from "./error-table.js";

/** Registers ControlService: real handlers when `failPoints` is given, none otherwise. */
export function registerControlService(router: ConnectRouter, failPoints: FailPoints | undefined): void {
  if (failPoints === undefined) {
    router.service(ControlService, {});
    return;
  }
  router.service(ControlService, {
    setFailPoint: (req) => {
      try {
        const fp = req.failPoint;
        if (fp === undefined) throw invalidArgument([{ field: "fail_point", description: "required" }]);
        failPoints.set({ name: fp.name, action: fp.action, count: fp.count, delayMs: fp.delayMs });
        return {};
      } catch (err) {
        throw wireError(err);
      }
    },
    listFailPoints: () => ({ failPoints: failPoints.list() }),
  });
}
