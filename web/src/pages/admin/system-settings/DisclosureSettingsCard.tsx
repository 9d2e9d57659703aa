/** The system.disclosure setting card (a <Col> inside the system settings page's row). */
export default function DisclosureSettingsCard() {
  return null;
}
