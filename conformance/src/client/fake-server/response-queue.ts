/**
 * The order rule of a scripted method: responses are used one request at a time, a
 * response with `times: n` answers n requests, and once the list is used up the last
 * response answers every further request.
 */
import type { ScriptedResponse } from "./fake-script.js";

/** The scripted responses of one method of one fake server, consumed in order. */
export class ResponseQueue {
  readonly #responses: readonly ScriptedResponse[];
  #index = 0;
  #usedOfCurrent = 0;

  /** @param responses at least one. @throws Error when empty. */
  constructor(responses: readonly ScriptedResponse[]) {
    if (responses.length === 0) throw new Error("a response queue needs at least one response");
    this.#responses = responses;
  }

  /** The response for the next request (and its position in the list, from 0). */
  next(): { readonly response: ScriptedResponse; readonly index: number } {
    const index = this.#index;
    const response = this.#responses[index] as ScriptedResponse;
    this.#usedOfCurrent += 1;
    if (this.#usedOfCurrent >= response.times && index < this.#responses.length - 1) {
      this.#index += 1;
      this.#usedOfCurrent = 0;
    }
    return { response, index };
  }
}
