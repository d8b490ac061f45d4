<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>KioskWindow</name>
    <message>
        <source>Police report kiosk</source>
        <translation>Quiosco de informes policiales</translation>
    </message>
</context>
<context>
    <name>UnavailablePage</name>
    <message>
        <source>Sorry</source>
        <translation>Lo sentimos</translation>
    </message>
    <message>
        <source>Reporting at this kiosk is not available yet. Please see the desk officer or call %1.</source>
        <translation>Todavía no se pueden hacer informes en este quiosco. Hable con el oficial de recepción o llame al %1.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Volver</translation>
    </message>
    <message>
        <source>Back to the welcome page</source>
        <translation>Volver a la página de bienvenida</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>If this is an emergency, call %1</source>
        <translation>Si es una emergencia, llame al %1</translation>
    </message>
    <message>
        <source>Report a non-emergency incident</source>
        <translation>Reporte un incidente que no es una emergencia</translation>
    </message>
    <message>
        <source>You can report vandalism or property damage, theft with no suspect, lost property, and identity theft or fraud.</source>
        <translation>Aquí puede reportar vandalismo o daños a la propiedad, robos sin sospechoso, objetos perdidos y robo de identidad o fraude.</translation>
    </message>
    <message>
        <source>For anything else, please see the desk officer.</source>
        <translation>Para cualquier otra cosa, hable con el oficial de recepción.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Comenzar</translation>
    </message>
    <message>
        <source>Start a report</source>
        <translation>Comenzar un informe</translation>
    </message>
</context>
</TS>
