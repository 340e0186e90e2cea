/**
 * A Windows event as every Windows reader hands it over, whatever the shape it came in (EVTX,
 * the evtx crate's JSON rendering, NXLog, Winlogbeat, wevtutil XML): the `System` header in
 * named fields, and the event's own data as a flat map of names to values. `normalizeWindows`
 * (windows.ts) turns it into an `Event`.
 */
export interface WindowsSystem {
  eventId: number;
  /** As written by the source; comparisons elsewhere are case-insensitive. */
  channel: string;
  computer: string;
  /** UTC epoch milliseconds. */
  time: number;
  provider?: string;
  providerGuid?: string;
  recordId?: number;
  version?: number;
  level?: number;
  task?: number;
  opcode?: number;
  keywords?: string;
  /** Execution ProcessID / ThreadID of the logging process. */
  processId?: number;
  threadId?: number;
  /** Security UserID (a SID). */
  userId?: string;
  /** Qualifiers of the EventID, where present. */
  qualifiers?: number;
}

export interface WindowsRecord {
  system: WindowsSystem;
  /**
   * EventData's named values (or UserData's, flattened one level), under their own names. Values
   * keep their types: numbers stay numbers, strings stay strings, unnamed data items are
   * `Data`, `Data1`, ... Arrays stay arrays.
   */
  data: Record<string, unknown>;
  /** The rendered message where the source has one (NXLog `Message`). */
  message?: string;
}
