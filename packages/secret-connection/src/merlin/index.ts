export { MerlinTranscript } from './transcript.js'
