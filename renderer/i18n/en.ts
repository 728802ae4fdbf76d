import { deskEn } from './desk.js';
import { indexingEn } from './indexing.js';
import { queueEn } from './queue.js';
import { reviewEn } from './review.js';
import { searchEn } from './search.js';
import { settingsScreenEn } from './settings-screen.js';
import type { MessageKey } from './vi.js';

/** Every UI string in English, for IT staff and visitors; typed so no key can be missing. */
export const en: Record<MessageKey, string> = {
  ...deskEn,
  ...reviewEn,
  ...indexingEn,
  ...queueEn,
  ...searchEn,
  ...settingsScreenEn,
  'app.title': 'SoHoa Station',
  'app.subtitle': 'Digitizing the results of administrative procedures',
  'app.version': 'Version {version}',
  'app.loading': 'Loading…',

  'connection.label': 'Connection to the engine',
  'connection.connecting': 'Connecting…',
  'connection.online': 'Connected',
  'connection.offline': 'Connection lost, retrying…',

  'language.label': 'Language',
  'language.vi': 'Tiếng Việt',
  'language.en': 'English',
  'language.locked': 'Language is locked by IT',

  'nav.label': 'Sections',
  'nav.capture': 'Scan',

  'capture.heading': 'Scan documents',
  'capture.settings': 'Scan settings',
  'capture.device': 'Scanner',
  'capture.device.loading': 'Looking for scanners…',
  'capture.device.none': 'No scanner available',
  'capture.device.notAllowed': '{name} (not allowed)',
  'capture.device.refresh': 'Refresh list',
  'capture.pageCount': 'Pages',
  'capture.pageCount.hint': 'Leave empty to scan everything in the feeder.',
  'capture.scan': 'Scan',
  'capture.scan.shortcut': 'F2 or Ctrl+Enter',
  'capture.stop': 'Stop',
  'capture.stop.shortcut': 'Esc',
  'capture.continue': 'Continue',
  'capture.dismiss': 'Dismiss message',
  'capture.status.idle': 'Ready to scan.',
  'capture.status.starting': 'Starting the scanner…',
  'capture.status.progress': 'Scanned {done} of {total} pages',
  'capture.status.progressOpen': 'Scanned {done} pages',
  'capture.status.cancelling': 'Stopping…',
  'capture.status.finished': 'Done: {done} pages scanned.',
  'capture.status.cancelled': 'Stopped: kept the {done} pages already scanned.',
  'capture.status.failed': 'Scanning stopped after {done} pages.',
  'capture.pages': 'Pages just scanned',
  'capture.pages.empty': 'No pages yet. Put paper in the scanner and press Scan.',
  'capture.page': 'Page {number}',
  'capture.page.loading': 'Loading page {number}…',
  'capture.page.failed': 'Could not load page {number}',

  'ocr.overlay.label': 'Recognised text on {page}',
  'ocr.overlay.doubtful':
    '{count} words recognised with doubt (confidence below {threshold}%): check the highlighted places.',
  'ocr.overlay.none': 'No word has a confidence below {threshold}%.',
  'ocr.overlay.word': '“{text}”, confidence {confidence}%',

  'batches.heading': 'Recent batches',
  'batches.empty': 'No batches yet.',
  'batches.startedAt': 'Started',
  'batches.device': 'Scanner',
  'batches.pages': 'Pages',
  'batches.state': 'State',
  'batches.state.scanning': 'Scanning',
  'batches.state.finished': 'Finished',
  'batches.state.cancelled': 'Stopped',
  'batches.state.failed': 'Failed',

  'error.title': 'Error',
  'error.details': 'Technical details',
  'error.internal': 'Something unexpected went wrong. Try again; if it persists, tell IT when it happened.',
  'error.ipc/invalid-args': 'The request was not valid. Check what you entered and try again.',
  'error.ipc/unknown-call': 'This version does not have that function. Update SoHoa Station or contact IT.',
  'error.ipc/untrusted-sender':
    'Refused: the request did not come from a SoHoa Station window. Close this window and reopen the app.',
  'error.bridge/unauthorized': 'The session is invalid or has expired. Open the exact address SoHoa Station printed.',
  'error.bridge/forbidden-origin':
    'Refused: the request came from another page. Open SoHoa Station at the 127.0.0.1 address it printed.',
  'error.settings/invalid': 'That setting value is not valid. Check what you entered.',
  'error.settings/locked': 'IT has locked this setting. Contact IT if it must change.',
  'error.scan/device-not-found': 'Scanner not found. Check its cable and power, then press Refresh list.',
  'error.scan/no-paper': 'The feeder is empty. Load paper, then press Continue.',
  'error.scan/paper-jam': 'Paper jam. Open the scanner cover, remove the jammed sheet, then press Continue.',
  'error.scan/cover-open': 'The scanner cover is open. Close it, then press Continue.',
  'error.scan/busy': 'The scanner is busy with another job. Wait for it to finish, then press Continue.',
  'error.scan/offline': 'The scanner does not respond. Check its cable, power and network, then press Continue.',
  'error.scan/cancelled': 'Scanning stopped. The pages already scanned are kept.',
  'error.scan/io': 'Error receiving data from the scanner. Turn it off and on again, then press Continue.',
  'error.scan/profile-not-found': 'There is no such scan profile. Choose another profile from the list, or contact IT.',
  'error.scan/unsupported-setting':
    'This scanner cannot do what the scan profile asks (feeder, two-sided, colour mode or paper size). Choose another profile or another scanner.',
  'error.scan/untrusted-certificate':
    "The network scanner's security certificate is not trusted. Ask IT to check the scanner or to allow its self-signed certificate.",
  'error.import/unsupported-format':
    'This file is not a PDF, TIFF, JPEG or PNG, so it cannot be imported. Scan or save the document in one of those formats and import it again.',
  'error.import/corrupt-file':
    'The file is damaged or was not completely written, so it cannot be read. Other files are not affected. Get the file again from the scanner or sender and import it again.',
  'error.import/encrypted':
    'The PDF is password-protected, so it cannot be opened. Ask the sender for a copy without a password and import it again.',
  'error.import/file-not-found': 'The file to import was not found. Check the path or folder and try again.',
  'error.ocr/cancelled':
    'Text recognition of this page was stopped (the page was deleted or is being recognised again). Nothing to do.',
  'error.ocr/failed':
    'The text on this page could not be recognised. Click “Recognise again”; if it still fails, rescan the page or type its text.',
  'error.ocr/unreadable-image':
    'The image file is damaged or not a supported image format (PNG, JPEG, TIFF, BMP). Rescan the page or choose another file.',
  'error.ocr/assets-missing':
    'The text-recognition data shipped with SoHoa Station is missing. Reinstall SoHoa Station or contact IT; scanned pages are kept.',
  'error.ocr/not-claimed':
    'This page is no longer waiting for this window to recognise it (another pass has taken it). Nothing to do.',
  'error.store/not-found': 'That item was not found; it may have been deleted. Refresh the list and try again.',
  'error.store/disk-full':
    'The disk is nearly full, so nothing more can be saved. Free some space or contact IT, then try again.',
  'error.store/corrupt': 'The stored data is damaged. Stop scanning and tell IT at once.',
  'error.pdf/empty-document':
    'Every page of the document is blank, so no PDF was made. Check the scan, or keep blank pages.',
  'error.store/not-empty':
    'The target data folder already holds data, so nothing was restored into it. Choose an empty folder and restore again.',
  'error.store/backup-invalid':
    'The back-up is incomplete or damaged (a hash does not match), so it cannot be restored. Restore from another back-up or tell IT.',
  'error.workflow/illegal-transition':
    'The document is at another step and cannot move to this one. Refresh the list, check the step it is at, then continue from there.',
  'error.workflow/blocked':
    'The document is marked classified (“mật”) or out of scope, so it is never sent to the warehouse. Remove the mark if it was set by mistake; otherwise keep it on this station.',
  'error.workflow/not-ready':
    'The document is not ready for this step (a required field, text recognition or the PDF is missing). Complete what is missing, then try again.',
  'error.workflow/signature-required':
    'This step needs a digital signature and none was given. Plug in the signing token, then sign again.',
  'error.workflow/locked':
    'The document is signed or sealed, so its pages and text can no longer change. Reopen it from a step before signing if allowed, or ask your supervisor.',
  'error.sync/not-configured':
    'The data warehouse is not set up (address, station client id or connection secret). Ask IT to enter them in Settings.',
  'error.sync/insecure-url':
    'The warehouse address does not use a secure connection (https), so the station refuses to send. Ask IT to change the address to https.',
  'error.sync/secret-unavailable':
    'The warehouse connection secret stored on this machine cannot be read. Ask IT to enter the connection secret again.',
  'error.sync/offline':
    'The data warehouse cannot be reached. Results stay safe on this machine and are sent automatically when the network returns.',
  'error.sync/tls':
    "The warehouse security certificate is not trusted. Ask IT to install the province's root certificate (CA) file.",
  'error.sync/auth-failed':
    "The warehouse refused this station's credentials. Ask IT to check the station client id and connection secret; results stay on this machine.",
  'error.sync/forbidden':
    'This station is not allowed to send results to the warehouse. Ask IT to grant this station access.',
  'error.sync/busy': 'The data warehouse is overloaded. The station will send again in a few minutes.',
  'error.sync/server-error':
    'The data warehouse has an error. The station will send again later; if it lasts, tell IT.',
  'error.sync/protocol':
    'The warehouse answered outside the protocol. The station will try again; if it keeps failing, tell IT.',
  'error.sync/record-rejected':
    "The warehouse refused this result's metadata. Open the result, correct the fields it names, then send again.",
  'error.sync/too-large':
    'The result file is larger than the warehouse accepts. Ask IT to raise the limit or split the document.',
  'error.sync/conflict':
    'The warehouse already holds a different result with the same document id. Ask IT to compare them before sending again.',
  'error.sync/hash-mismatch':
    'The file the warehouse received does not match the file on this machine. The station will send the file again.',
  'error.sync/verify-failed':
    'The record read back from the warehouse does not match the file sent. Tell IT; the copy on this machine is kept.',
  'error.sync/file-missing':
    'The result file to send is missing from this machine. Ask IT to restore it from a backup.',
  'error.sync/classified':
    'The document is marked classified ("mật"), so it is never sent to the warehouse. Remove the mark if it was a mistake; otherwise keep it on this machine.',
  'error.sync/withdrawn':
    'The document was withdrawn from the delivery queue, so it is not sent. Queue it again when it should go.',
  'error.sync/not-found': 'This result is not in the delivery queue. Refresh the list and try again.',
  'error.sync/bag-invalid':
    'The BagIt package is damaged or was changed, so it is refused. Export the package again on the original station and copy it again.',
};
