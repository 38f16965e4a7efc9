/**
 * The authenticator-app QR code. qrcode-generator is imported dynamically,
 * so esbuild puts it in its own chunk (web/build.ts) that only the TOTP setup
 * screen loads. The image is a data: URL, which the CSP's img-src allows.
 */
export async function qrCodeImage(text: string, alt: string): Promise<HTMLImageElement> {
  const { default: qrcode } = await import('qrcode-generator');
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const image = document.createElement('img');
  image.src = qr.createDataURL(4, 4);
  image.alt = alt;
  image.className = 'totp-qr';
  image.setAttribute('data-testid', 'totp-qr');
  return image;
}
