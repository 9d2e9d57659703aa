/** The system.meetings setting card (a <Col> inside the system settings page's row). */
export default function MeetingsSettingsCard() {
  return null;
}
