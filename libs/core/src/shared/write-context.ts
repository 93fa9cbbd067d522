/** Who and what caused a write: carried into every event's metadata, so the trail shows who wrote what and why. */
export interface WriteContext {
  correlationId: string;
  causationId: string;
  /** Name of the API key that made the request. */
  writtenBy?: string;
}
