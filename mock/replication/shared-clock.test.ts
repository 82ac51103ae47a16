import { describeClock } from '../clock-cases.ts'
import { createSharedClock } from './shared-clock.ts'
import { Transaction } from './transaction.ts'

// Moved inside a change that is never committed: the local behaviour is the clock's own.
describeClock('shared', (source) => createSharedClock(source, { writer: new Transaction(0, new Map()) }))
