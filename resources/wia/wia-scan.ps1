<#
  SoHoa Station - WIA 2.0 scanning through the WIA Automation Library (wiaaut.dll).

  Started by electron/engine/scan/wia-driver.ts:
    powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File wia-scan.ps1 -Action list
    powershell.exe ... -File wia-scan.ps1 -Action scan -DeviceId ID -Source feeder|duplex|flatbed
                       -Dpi 300 -Colour color|gray|lineart -WidthMm 210 -HeightMm 297 -MaxPages 0 -OutDir DIR

  Prints one JSON object per line on stdout, flushed at once so the station can hand each page on
  as it lands:
    {"type":"device","id":...,"name":...,"sources":[...],"resolutions":[...],"colourModes":[...],"maxWidthMm":...,"maxHeightMm":...}
    {"type":"page","index":0,"path":"DIR\page-0001.jpg","width":2480,"height":3508,"dpi":300}
    {"type":"error","code":"paper-jam","hresult":"0x80210002","message":"..."}
    {"type":"done","pages":3}
  Exit code 0 after "done", 1 after "error".

  Not run on Windows hardware on the development machines (Linux); its invocation and output
  parsing are tested with a fake process (test/unit/scan/wia-driver.test.ts).
#>
param(
  [ValidateSet('list', 'scan')][string]$Action = 'list',
  [string]$DeviceId = '',
  [ValidateSet('flatbed', 'feeder', 'duplex')][string]$Source = 'feeder',
  [int]$Dpi = 300,
  [ValidateSet('color', 'gray', 'lineart')][string]$Colour = 'color',
  [double]$WidthMm = 0,
  [double]$HeightMm = 0,
  [int]$MaxPages = 0,
  [string]$OutDir = ''
)

$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8

# WIA property ids (wiadef.h)
$DPS_HORIZONTAL_BED_SIZE = 3074
$DPS_VERTICAL_BED_SIZE = 3075
$DPS_HORIZONTAL_SHEET_FEED_SIZE = 3076
$DPS_VERTICAL_SHEET_FEED_SIZE = 3077
$DPS_DOCUMENT_HANDLING_CAPABILITIES = 3086
$DPS_DOCUMENT_HANDLING_SELECT = 3088
$DPS_PAGES = 3096
$IPA_DATATYPE = 4103
$IPA_DEPTH = 4104
$IPS_CUR_INTENT = 6146
$IPS_XRES = 6147
$IPS_YRES = 6148
$IPS_XPOS = 6149
$IPS_YPOS = 6150
$IPS_XEXTENT = 6151
$IPS_YEXTENT = 6152

# Document handling flags
$FEED = 0x001
$FLAT = 0x002
$DUP = 0x004

$FormatBmp = '{B96B3CAB-0728-11D3-9D7B-0000F81EF32E}'
$FormatPng = '{B96B3CAF-0728-11D3-9D7B-0000F81EF32E}'
$FormatJpeg = '{B96B3CAE-0728-11D3-9D7B-0000F81EF32E}'

# WIA_ERROR_* HRESULTs (wiadef.h) -> the station's scan/* codes. Keys are hex strings: PowerShell
# reads a literal like 0x80210002 as a negative Int32, and strings compare the same on 5.1 and 7.
$ErrorCodes = @{
  '80210002' = 'paper-jam'           # WIA_ERROR_PAPER_JAM
  '80210003' = 'no-paper'            # WIA_ERROR_PAPER_EMPTY
  '80210004' = 'paper-jam'           # WIA_ERROR_PAPER_PROBLEM
  '80210005' = 'offline'             # WIA_ERROR_OFFLINE
  '80210006' = 'busy'                # WIA_ERROR_BUSY
  '80210007' = 'busy'                # WIA_ERROR_WARMING_UP
  '80210008' = 'io'                  # WIA_ERROR_USER_INTERVENTION
  '80210009' = 'offline'             # WIA_ERROR_ITEM_DELETED
  '8021000A' = 'offline'             # WIA_ERROR_DEVICE_COMMUNICATION
  '8021000B' = 'unsupported-setting' # WIA_ERROR_INVALID_COMMAND
  '8021000C' = 'unsupported-setting' # WIA_ERROR_INCORRECT_HARDWARE_SETTING
  '8021000D' = 'busy'                # WIA_ERROR_DEVICE_LOCKED
  '8021000E' = 'io'                  # WIA_ERROR_EXCEPTION_IN_DRIVER
  '8021000F' = 'io'                  # WIA_ERROR_INVALID_DRIVER_RESPONSE
  '80210015' = 'device-not-found'    # WIA_S_NO_DEVICE_AVAILABLE
  '80210016' = 'cover-open'          # WIA_ERROR_COVER_OPEN
  '80210017' = 'io'                  # WIA_ERROR_LAMP_OFF
}

function Write-Line($object) {
  [Console]::Out.WriteLine(($object | ConvertTo-Json -Compress -Depth 4))
  [Console]::Out.Flush()
}

# The HRESULT of a failed WIA call as eight hex digits ('80210003'); COM errors arrive wrapped.
function Get-HResultHex($exception) {
  $e = $exception
  while ($null -ne $e) {
    if ($e -is [System.Runtime.InteropServices.COMException]) { return ('{0:X8}' -f $e.ErrorCode) }
    if ($e.HResult -ne 0 -and $null -ne $ErrorCodes[('{0:X8}' -f $e.HResult)]) { return ('{0:X8}' -f $e.HResult) }
    $e = $e.InnerException
  }
  return ('{0:X8}' -f $exception.HResult)
}

function Write-Failure($exception) {
  $hex = Get-HResultHex $exception
  $code = $ErrorCodes[$hex]
  if ($null -eq $code) { $code = 'io' }
  Write-Line @{ type = 'error'; code = $code; hresult = "0x$hex"; message = $exception.Message }
}

function Get-Prop($properties, [int]$id) {
  foreach ($p in $properties) { if ($p.PropertyID -eq $id) { return $p } }
  return $null
}

function Set-Prop($properties, [int]$id, $value) {
  $p = Get-Prop $properties $id
  if ($null -ne $p) { $p.Value = $value }
}

function Get-Resolutions($item) {
  $p = Get-Prop $item.Properties $IPS_XRES
  if ($null -eq $p) { return @(300) }
  # SubType: 1 = range, 2 = list, 3 = flag
  if ($p.SubType -eq 2) { return @($p.SubTypeValues | ForEach-Object { [int]$_ }) }
  if ($p.SubType -eq 1) {
    return @(75, 100, 150, 200, 240, 300, 400, 600, 1200 | Where-Object { $_ -ge $p.SubTypeMin -and $_ -le $p.SubTypeMax })
  }
  return @([int]$p.Value)
}

function Find-Device([string]$id) {
  $manager = New-Object -ComObject WIA.DeviceManager
  foreach ($info in $manager.DeviceInfos) {
    if ($info.DeviceID -eq $id) { return $info.Connect() }
  }
  # WIA_S_NO_DEVICE_AVAILABLE: the scanner was unplugged or switched off since it was listed.
  throw (New-Object System.Runtime.InteropServices.COMException('No such WIA device', -2145320939)) # 0x80210015
}

if ($Action -eq 'list') {
  try {
    $manager = New-Object -ComObject WIA.DeviceManager
    foreach ($info in $manager.DeviceInfos) {
      if ($info.Type -ne 1) { continue } # ScannerDeviceType
      try {
        $device = $info.Connect()
        $caps = Get-Prop $device.Properties $DPS_DOCUMENT_HANDLING_CAPABILITIES
        $flags = if ($null -eq $caps) { $FLAT } else { [int]$caps.Value }
        $sources = @()
        if ($flags -band $FLAT) { $sources += 'flatbed' }
        if ($flags -band $FEED) { $sources += 'adf' }
        if (($flags -band $FEED) -and ($flags -band $DUP)) { $sources += 'adf-duplex' }
        $item = $device.Items.Item(1)
        $width = Get-Prop $device.Properties $DPS_HORIZONTAL_BED_SIZE
        $height = Get-Prop $device.Properties $DPS_VERTICAL_BED_SIZE
        if ($null -eq $width) { $width = Get-Prop $device.Properties $DPS_HORIZONTAL_SHEET_FEED_SIZE }
        if ($null -eq $height) { $height = Get-Prop $device.Properties $DPS_VERTICAL_SHEET_FEED_SIZE }
        $line = @{
          type = 'device'
          id = $info.DeviceID
          name = $info.Properties.Item('Name').Value
          sources = $sources
          resolutions = @(Get-Resolutions $item)
          colourModes = @('color', 'gray', 'lineart')
        }
        # Bed sizes are in thousandths of an inch.
        if ($null -ne $width -and $null -ne $height) {
          $line.maxWidthMm = [math]::Round([double]$width.Value * 0.0254, 1)
          $line.maxHeightMm = [math]::Round([double]$height.Value * 0.0254, 1)
        }
        Write-Line $line
      } catch {
        Write-Line @{ type = 'warning'; id = $info.DeviceID; message = $_.Exception.Message }
      }
    }
    Write-Line @{ type = 'done'; pages = 0 }
    exit 0
  } catch {
    Write-Failure $_.Exception
    exit 1
  }
}

$index = 0
try {
  if ($OutDir -eq '') { throw 'OutDir is required' }
  New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
  $device = Find-Device $DeviceId
  $select = switch ($Source) { 'flatbed' { $FLAT } 'feeder' { $FEED } 'duplex' { $FEED -bor $DUP } }
  Set-Prop $device.Properties $DPS_DOCUMENT_HANDLING_SELECT $select
  # One page per transfer: the loop below asks again until the feeder is empty.
  Set-Prop $device.Properties $DPS_PAGES 1
  $item = $device.Items.Item(1)
  $intent = switch ($Colour) { 'color' { 1 } 'gray' { 2 } 'lineart' { 4 } }
  Set-Prop $item.Properties $IPS_CUR_INTENT $intent
  $dataType = switch ($Colour) { 'color' { 3 } 'gray' { 2 } 'lineart' { 0 } }
  $depth = switch ($Colour) { 'color' { 24 } 'gray' { 8 } 'lineart' { 1 } }
  Set-Prop $item.Properties $IPA_DATATYPE $dataType
  Set-Prop $item.Properties $IPA_DEPTH $depth
  Set-Prop $item.Properties $IPS_XRES $Dpi
  Set-Prop $item.Properties $IPS_YRES $Dpi
  if ($WidthMm -gt 0 -and $HeightMm -gt 0) {
    Set-Prop $item.Properties $IPS_XPOS 0
    Set-Prop $item.Properties $IPS_YPOS 0
    Set-Prop $item.Properties $IPS_XEXTENT ([int][math]::Floor($WidthMm / 25.4 * $Dpi))
    Set-Prop $item.Properties $IPS_YEXTENT ([int][math]::Floor($HeightMm / 25.4 * $Dpi))
  }
  $convert = New-Object -ComObject WIA.ImageProcess
  $convert.Filters.Add($convert.FilterInfos.Item('Convert').FilterID)
  $target = if ($Colour -eq 'lineart') { $FormatPng } else { $FormatJpeg }
  $extension = if ($Colour -eq 'lineart') { 'png' } else { 'jpg' }
  $convert.Filters.Item(1).Properties.Item('FormatID').Value = $target
  if ($Colour -ne 'lineart') { $convert.Filters.Item(1).Properties.Item('Quality').Value = 90 }

  while ($MaxPages -le 0 -or $index -lt $MaxPages) {
    try {
      # BMP is the one format every WIA driver transfers; the image is converted here.
      $image = $item.Transfer($FormatBmp)
    } catch {
      # An empty feeder after at least one page is the normal end of a batch.
      if ((Get-HResultHex $_.Exception) -eq '80210003' -and $index -gt 0 -and $Source -ne 'flatbed') { break }
      throw
    }
    $image = $convert.Apply($image)
    $path = Join-Path $OutDir ('page-{0:D4}.{1}' -f ($index + 1), $extension)
    $partial = "$path.part"
    if (Test-Path $partial) { Remove-Item $partial }
    $image.SaveFile($partial)
    # Renamed only once written, so the station never reads half a file.
    Move-Item -Force $partial $path
    Write-Line @{ type = 'page'; index = $index; path = $path; width = $image.Width; height = $image.Height; dpi = $Dpi }
    $index += 1
    if ($Source -eq 'flatbed') { break }
  }
  Write-Line @{ type = 'done'; pages = $index }
  exit 0
} catch {
  Write-Failure $_.Exception
  exit 1
}
