import type { Unsubscribe } from '../../shared/api-shape.js';
import type { DocumentDetail, DocumentSummary, QrFinding, WorkflowState } from '../../shared/domain.js';
import type { StationErrorShape } from '../../shared/errors.js';
import { localIsoDate } from '../../shared/metadata-validation.js';
import type {
  EngineFieldName,
  FieldSource,
  IndexFieldName,
  IndexForm,
  IndexPatch,
  IndexTextField,
  ValidationMode,
} from '../features/indexing/metadata-form.js';
import {
  applySuggestions,
  engineFieldIssues,
  indexFormFromDetail,
  indexPatchFromForm,
  validateIndexForm,
} from '../features/indexing/metadata-form.js';
import type { StationClient } from '../station/station-client.js';
import type { SliceGet, SliceSet, StationStore } from './station-store.js';

/** What the index screen is doing: reading the document, saving the form, or finishing the document. */
export type IndexBusy = 'idle' | 'loading' | 'saving' | 'finishing';

/** The outcome of the clerk's last action, for the status line. */
export type IndexOutcome = 'saved' | 'finished' | 'invalid' | 'save-failed' | 'finish-failed' | null;

/** The states in which a document still waits for indexing (before its PDF is sealed). */
export const indexableStates: readonly WorkflowState[] = [
  'captured',
  'reviewed',
  'operator-signed',
  'extracted',
  'coded',
];

/** State of the Biên mục screen: the open document, the form being edited, and the last save or finish. */
export interface IndexingSlice {
  indexDocumentId: string | null;
  indexDetail: DocumentDetail | null;
  /** The form as stored in the engine, to tell what changed. */
  indexStored: IndexForm | null;
  indexForm: IndexForm | null;
  /** Fields the clerk has typed in or changed: suggestions never overwrite them. */
  indexTouched: Partial<Record<IndexFieldName, boolean>>;
  /** Fields the clerk has left: their issues show from then on. */
  indexBlurred: Partial<Record<IndexFieldName, boolean>>;
  /** Fields pre-filled from the document's OCR text or QR codes. */
  indexSources: Partial<Record<IndexTextField, FieldSource>>;
  indexQr: QrFinding[];
  /** The digitization code the document would get now (documents:propose-code), null when unknown. */
  indexProposedCode: string | null;
  /** After a refused save or finish, every field's issues show, checked for that action. */
  indexShowIssues: ValidationMode | null;
  /** Field issues the engine reported on the last save or finish. */
  indexEngineIssues: Partial<Record<EngineFieldName, string>>;
  indexError: StationErrorShape | null;
  indexBusy: IndexBusy;
  indexOutcome: IndexOutcome;
  /** Documents still to index, offered when none is open. */
  indexCandidates: DocumentSummary[];
  indexCandidatesLoaded: boolean;

  /** Opens a document on the form: its stored metadata, then suggestions for the empty fields. */
  loadIndexDocument: (documentId: string) => Promise<void>;
  loadIndexCandidates: () => Promise<void>;
  /** Asks for suggestions again (a page of the document was just read): only empty, untouched fields take them. */
  refreshIndexSuggestions: () => Promise<void>;
  setIndexField: <K extends IndexFieldName>(field: K, value: IndexForm[K]) => void;
  blurIndexField: (field: IndexFieldName) => void;
  /** Checks and saves the form; false when refused (issues shown) or failed. */
  saveIndex: () => Promise<boolean>;
  /** Saves, then takes the document through to the delivery queue (documents:finish). */
  finishIndex: () => Promise<boolean>;
  dismissIndexError: () => void;
}

/** The changed parts of a patch against what is stored, so an unchanged flag is not written again. */
function changedPatch(next: IndexPatch, stored: IndexPatch): Partial<IndexPatch> {
  const metadata = Object.fromEntries(
    Object.entries(next.metadata).filter(
      ([key, value]) => stored.metadata[key as keyof typeof stored.metadata] !== value,
    ),
  );
  return {
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    ...(next.validity !== stored.validity ? { validity: next.validity } : {}),
    ...(next.classified !== stored.classified ? { classified: next.classified } : {}),
    ...(next.outOfScope !== stored.outOfScope ? { outOfScope: next.outOfScope } : {}),
  };
}

/** The index state of no document yet: where a screen starts and where opening another resets to. */
const emptyIndexDocument = {
  indexDetail: null,
  indexStored: null,
  indexForm: null,
  indexTouched: {},
  indexBlurred: {},
  indexSources: {},
  indexQr: [],
  indexProposedCode: null,
  indexShowIssues: null,
  indexEngineIssues: {},
  indexError: null,
  indexOutcome: null,
} satisfies Partial<IndexingSlice>;

/** Creates the indexing slice. */
export function createIndexingSlice(client: StationClient, set: SliceSet, get: SliceGet): IndexingSlice {
  function today(): string {
    return localIsoDate(new Date());
  }

  async function refreshProposedCode(documentId: string): Promise<void> {
    const result = await client.call('documents:propose-code', { documentId });
    if (get().indexDocumentId !== documentId) return;
    set({ indexProposedCode: result.ok && result.value.code !== '' ? result.value.code : null });
  }

  async function loadSuggestions(documentId: string): Promise<void> {
    const result = await client.call('documents:suggest', { documentId });
    // Suggestions are a help: without them (an engine that cannot read yet) the form still works.
    const { indexDocumentId, indexForm, indexTouched, indexSources } = get();
    if (!result.ok || indexDocumentId !== documentId || indexForm === null) return;
    const applied = applySuggestions(indexForm, indexTouched, result.value.suggestions, result.value.qr);
    set({ indexForm: applied.form, indexSources: { ...indexSources, ...applied.sources }, indexQr: result.value.qr });
  }

  /** Takes the document as the engine now has it; the clerk's unsaved typing since `sent` is kept. */
  function takeDetail(detail: DocumentDetail, sent: IndexForm | null): void {
    const stored = indexFormFromDetail(detail);
    const { indexForm } = get();
    set({
      indexDetail: detail,
      indexStored: stored,
      indexForm: sent === null || indexForm === sent ? stored : indexForm,
    });
  }

  function refuse(error: StationErrorShape, action: 'save' | 'finish'): void {
    set({
      indexBusy: 'idle',
      indexOutcome: action === 'save' ? 'save-failed' : 'finish-failed',
      indexError: error,
      indexEngineIssues: engineFieldIssues(error.fields),
    });
  }

  function showIssues(mode: ValidationMode): void {
    set((state) => ({
      indexShowIssues: state.indexShowIssues === 'finish' ? 'finish' : mode,
      indexOutcome: 'invalid',
      indexError: null,
    }));
  }

  /** Saves what changed; true when the engine has the form (or nothing needed saving). */
  async function persist(action: 'save' | 'finish'): Promise<boolean> {
    const { indexDocumentId: documentId, indexForm: form, indexStored: stored } = get();
    if (documentId === null || form === null || stored === null) return false;
    const patch = changedPatch(indexPatchFromForm(form), indexPatchFromForm(stored));
    if (Object.keys(patch).length === 0) return true;
    const result = await client.call('documents:update', { documentId, ...patch });
    if (get().indexDocumentId !== documentId) return false;
    if (!result.ok) {
      refuse(result.error, action);
      return false;
    }
    takeDetail(result.value, form);
    return true;
  }

  return {
    indexDocumentId: null,
    ...emptyIndexDocument,
    indexBusy: 'idle',
    indexCandidates: [],
    indexCandidatesLoaded: false,

    async loadIndexDocument(documentId) {
      set({ indexDocumentId: documentId, ...emptyIndexDocument, indexBusy: 'loading' });
      const result = await client.call('documents:get', { documentId });
      if (get().indexDocumentId !== documentId) return;
      if (!result.ok) {
        set({ indexBusy: 'idle', indexError: result.error });
        return;
      }
      takeDetail(result.value, null);
      set({ indexBusy: 'idle' });
      await Promise.all([loadSuggestions(documentId), refreshProposedCode(documentId)]);
    },

    async refreshIndexSuggestions() {
      const { indexDocumentId } = get();
      if (indexDocumentId !== null) await loadSuggestions(indexDocumentId);
    },

    async loadIndexCandidates() {
      const result = await client.call('documents:list', { states: [...indexableStates], limit: 200 });
      if (result.ok) set({ indexCandidates: result.value, indexCandidatesLoaded: true });
      else set({ indexCandidatesLoaded: true, indexError: result.error });
    },

    setIndexField(field, value) {
      set((state) => {
        if (state.indexForm === null) return {};
        const engineIssues = { ...state.indexEngineIssues };
        delete engineIssues[field];
        return {
          indexForm: { ...state.indexForm, [field]: value },
          indexTouched: { ...state.indexTouched, [field]: true },
          indexEngineIssues: engineIssues,
          indexOutcome: null,
        };
      });
    },

    blurIndexField(field) {
      if (get().indexBlurred[field] === true) return;
      set((state) => ({ indexBlurred: { ...state.indexBlurred, [field]: true } }));
    },

    async saveIndex() {
      const { indexForm: form, indexBusy, indexDocumentId: documentId } = get();
      if (form === null || documentId === null || indexBusy !== 'idle') return false;
      if (Object.keys(validateIndexForm(form, { today: today(), mode: 'save' })).length > 0) {
        showIssues('save');
        return false;
      }
      set({ indexBusy: 'saving', indexError: null, indexEngineIssues: {}, indexOutcome: null });
      const saved = await persist('save');
      if (!saved) return false;
      set({ indexBusy: 'idle', indexOutcome: 'saved' });
      await refreshProposedCode(documentId);
      return true;
    },

    async finishIndex() {
      const { indexForm: form, indexBusy, indexDocumentId: documentId } = get();
      if (form === null || documentId === null || indexBusy !== 'idle') return false;
      if (Object.keys(validateIndexForm(form, { today: today(), mode: 'finish' })).length > 0) {
        showIssues('finish');
        return false;
      }
      set({ indexBusy: 'finishing', indexError: null, indexEngineIssues: {}, indexOutcome: null });
      if (!(await persist('finish'))) return false;
      const result = await client.call('documents:finish', { documentId });
      if (get().indexDocumentId !== documentId) return false;
      if (!result.ok) {
        refuse(result.error, 'finish');
        // Steps already taken stay: show where the document stands now.
        const current = await client.call('documents:get', { documentId });
        if (current.ok && get().indexDocumentId === documentId) takeDetail(current.value, get().indexForm);
        return false;
      }
      takeDetail(result.value, get().indexForm);
      set({ indexBusy: 'idle', indexOutcome: 'finished' });
      await refreshProposedCode(documentId);
      return true;
    },

    dismissIndexError() {
      set({ indexError: null });
    },
  };
}

/** How long to gather page reads before asking for suggestions again (a document's pages finish together). */
const suggestionRefreshMs = 400;

/** The engine events the indexing slice follows; attachEvents calls this once. */
export function attachIndexingEvents(store: StationStore, client: StationClient): Unsubscribe[] {
  let refresh: ReturnType<typeof setTimeout> | null = null;
  return [
    // A clerk often opens a document straight after the scan: its suggestions come as its pages are read.
    client.on('ocr:page-recognized', ({ pageId }) => {
      const { indexDetail } = store.getState();
      if (indexDetail === null || !indexDetail.pages.some((page) => page.id === pageId)) return;
      if (refresh !== null) clearTimeout(refresh);
      refresh = setTimeout(() => {
        refresh = null;
        void store.getState().refreshIndexSuggestions();
      }, suggestionRefreshMs);
    }),
    () => {
      if (refresh !== null) clearTimeout(refresh);
    },
    client.on('documents:changed', (summary) => {
      const state = store.getState();
      if (state.indexDetail !== null && state.indexDetail.id === summary.id) {
        // The workflow moved (finish under way, a seal, a delivery): show it; the form stays the clerk's.
        store.setState({ indexDetail: { ...state.indexDetail, ...summary } });
      }
      if (state.indexCandidatesLoaded) {
        const listed = state.indexCandidates.some((item) => item.id === summary.id);
        const keep = indexableStates.includes(summary.state) && summary.purgedAt === null;
        const next = !keep
          ? state.indexCandidates.filter((item) => item.id !== summary.id)
          : listed
            ? state.indexCandidates.map((item) => (item.id === summary.id ? summary : item))
            : [...state.indexCandidates, summary];
        store.setState({ indexCandidates: next });
      }
    }),
  ];
}
