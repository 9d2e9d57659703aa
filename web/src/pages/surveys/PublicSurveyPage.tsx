/** The public answer page of a satisfaction survey (no login): filled in by the surveys feature. */
export default function PublicSurveyPage() {
  return null;
}
