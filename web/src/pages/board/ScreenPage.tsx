/** The full-screen view for the meeting-room display (大屏): filled in by the dashboard feature. */
export default function ScreenPage() {
  return null;
}
