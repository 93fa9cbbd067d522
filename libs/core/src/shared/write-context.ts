/** Who and what caused a write: carried into every event's metadata, so the trail shows who wrote what and why. */
export interface WriteContext {
  correlationId: string;
  causationId: string;
  /** Name of the API key that made the request. */
  writtenBy?: string;
  /** Public id of that API key: names the writer even if the key's name is reused later. */
  writtenByKeyId?: string;
}
