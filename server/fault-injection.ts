import type { FaultName } from './config';

/**
 * Fault hooks for the fault tests (test/faults): named points in the payment path where the
 * store can be made to die as a power cut would kill it. Nothing is armed unless FAULT_INJECTION
 * names a fault, which config refuses in production; `main.ts` arms them once at start.
 */
let armed: ReadonlySet<FaultName> = new Set();

/** Switches on the faults FAULT_INJECTION names (and off any others). */
export function armFaults(faults: readonly FaultName[]): void {
  armed = new Set(faults);
}

/**
 * A point where fault `name` strikes: when armed, the process is killed with SIGKILL at once
 * (no handler, no flush, no shutdown), so nothing after this point happens.
 *
 * - `crash-after-gateway-accept`: Braintree accepted the charge, the store has not recorded it.
 * - `crash-before-callback-commit`: a callback's payment state was fetched from the gateway, not committed.
 */
export function faultPoint(name: FaultName): void {
  if (armed.has(name)) process.kill(process.pid, 'SIGKILL');
}
