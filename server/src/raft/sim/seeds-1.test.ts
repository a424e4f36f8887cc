/** Simulated seeds, part 1 of 4 (see seed-part.ts), with the kept regression seeds first. */
import { expect, it } from "vitest";
import { firstFailure, regressionSeeds } from "./seed-batch.js";
import { describeSeedPart } from "./seed-part.js";

it("regression seeds", () => {
  expect(firstFailure(regressionSeeds())).toBeUndefined();
});

describeSeedPart(1);
