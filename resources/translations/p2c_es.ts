<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>CategoryPage</name>
    <message>
        <source>What happened?</source>
        <translation>¿Qué pasó?</translation>
    </message>
    <message>
        <source>Vandalism or property damage</source>
        <translation>Vandalismo o daño a la propiedad</translation>
    </message>
    <message>
        <source>Theft</source>
        <translation>Robo</translation>
    </message>
    <message>
        <source>Lost property</source>
        <translation>Objetos perdidos</translation>
    </message>
    <message>
        <source>Identity theft or fraud</source>
        <translation>Robo de identidad o fraude</translation>
    </message>
    <message>
        <source>None of these</source>
        <translation>Ninguna de estas</translation>
    </message>
    <message>
        <source>Someone damaged or defaced something of yours, such as a car, a window or a fence.</source>
        <translation>Alguien dañó o rayó algo suyo, como un carro, una ventana o una cerca.</translation>
    </message>
    <message>
        <source>Something was stolen from you and you do not know who took it.</source>
        <translation>Le robaron algo y usted no sabe quién lo tomó.</translation>
    </message>
    <message>
        <source>You lost something and want a police report of it, for example for insurance or a new ID.</source>
        <translation>Perdió algo y quiere un informe policial, por ejemplo para el seguro o para una nueva identificación.</translation>
    </message>
    <message>
        <source>Someone used your name, card or account without your permission.</source>
        <translation>Alguien usó su nombre, su tarjeta o su cuenta sin su permiso.</translation>
    </message>
    <message>
        <source>Something else: the desk officer will help you.</source>
        <translation>Otra cosa: el oficial de recepción le ayudará.</translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>Check a report</source>
        <translation>Consultar un informe</translation>
    </message>
    <message>
        <source>Type the two numbers printed on your receipt. Or hold the square code on your receipt under the scanner.</source>
        <translation>Escriba los dos números impresos en su comprobante. O ponga el código cuadrado de su comprobante bajo el lector.</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>Número de seguimiento</translation>
    </message>
    <message>
        <source>It starts with T, for example T26-01-00042-1.</source>
        <translation>Empieza con T, por ejemplo T26-01-00042-1.</translation>
    </message>
    <message>
        <source>Access code</source>
        <translation>Código de acceso</translation>
    </message>
    <message>
        <source>8 letters and digits, for example K7QM-2XHD.</source>
        <translation>8 letras y números, por ejemplo K7QM-2XHD.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Back to the start</source>
        <translation>Volver al inicio</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Consultar</translation>
    </message>
    <message>
        <source>Check the report</source>
        <translation>Consultar el informe</translation>
    </message>
</context>
<context>
    <name>DateOfBirthField</name>
    <message>
        <source>Month</source>
        <translation>Mes</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Día</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Año</translation>
    </message>
    <message>
        <source>MM</source>
        <translation>MM</translation>
    </message>
    <message>
        <source>DD</source>
        <translation>DD</translation>
    </message>
    <message>
        <source>YYYY</source>
        <translation>AAAA</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Report sent</source>
        <translation>Informe enviado</translation>
    </message>
    <message>
        <source>Thank you. Your report has been received.</source>
        <translation>Gracias. Recibimos su informe.</translation>
    </message>
    <message>
        <source>Your tracking number</source>
        <translation>Su número de seguimiento</translation>
    </message>
    <message>
        <source>Your access code (to check your report later)</source>
        <translation>Su código de acceso (para consultar su informe más tarde)</translation>
    </message>
    <message>
        <source>An officer will review your report. Watch your email and your phone: the officer&apos;s decision, or any question, will come that way.</source>
        <translation>Un oficial revisará su informe. Esté atento a su correo electrónico y a su teléfono: la decisión del oficial, o cualquier pregunta, le llegará por ahí.</translation>
    </message>
    <message>
        <source>Printing your receipt…</source>
        <translation>Imprimiendo su comprobante…</translation>
    </message>
    <message>
        <source>Take your receipt from the printer.</source>
        <translation>Tome su comprobante de la impresora.</translation>
    </message>
    <message>
        <source>Your receipt could not be printed. Please write down these two numbers or take a photo of them and of the square code. You will need them to ask about your report.</source>
        <translation>No se pudo imprimir su comprobante. Anote estos dos números o tómeles una foto a ellos y al código cuadrado. Los necesitará para preguntar por su informe.</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <source>Larger text</source>
        <translation>Letra más grande</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Alto contraste</translation>
    </message>
</context>
<context>
    <name>HowPage</name>
    <message>
        <source>Tell us what happened</source>
        <translation>Cuéntenos qué pasó</translation>
    </message>
    <message>
        <source>What was damaged, and how? Where was it? When did you last see it undamaged, and when did you notice the damage?</source>
        <translation>¿Qué se dañó y cómo? ¿Dónde estaba? ¿Cuándo lo vio sin daños por última vez y cuándo notó el daño?</translation>
    </message>
    <message>
        <source>Where was the item? When did you last see it? When did you notice it was gone? Was anything forced open or broken?</source>
        <translation>¿Dónde estaba el objeto? ¿Cuándo lo vio por última vez? ¿Cuándo notó que faltaba? ¿Forzaron o rompieron algo?</translation>
    </message>
    <message>
        <source>Where did you last have it? When did you notice it was missing? Where have you looked?</source>
        <translation>¿Dónde lo tuvo por última vez? ¿Cuándo notó que le faltaba? ¿Dónde lo ha buscado?</translation>
    </message>
    <message>
        <source>What did you notice, and when? Which accounts or cards were used? Have you told your bank?</source>
        <translation>¿Qué notó y cuándo? ¿Qué cuentas o tarjetas se usaron? ¿Ya le avisó a su banco?</translation>
    </message>
    <message>
        <source>In your own words, as much as you remember.</source>
        <translation>Con sus propias palabras, todo lo que recuerde.</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Qué pasó</translation>
    </message>
    <message>
        <source>%1 characters written; please write at least %2.</source>
        <translation>Lleva %1 caracteres; escriba al menos %2.</translation>
    </message>
    <message>
        <source>%1 of at most %2 characters.</source>
        <translation>%1 de un máximo de %2 caracteres.</translation>
    </message>
</context>
<context>
    <name>IdleOverlay</name>
    <message>
        <source>To keep your information private, everything you entered will be cleared in %1 seconds.</source>
        <translation>Para proteger su privacidad, todo lo que escribió se borrará en %1 segundos.</translation>
    </message>
    <message>
        <source>Are you still there?</source>
        <translation>¿Sigue ahí?</translation>
    </message>
    <message>
        <source>I need more time</source>
        <translation>Necesito más tiempo</translation>
    </message>
</context>
<context>
    <name>ItemEditor</name>
    <message>
        <source>Item %1</source>
        <translation>Objeto %1</translation>
    </message>
    <message>
        <source>Account or charge %1</source>
        <translation>Cuenta o cargo %1</translation>
    </message>
    <message>
        <source>What happened to it?</source>
        <translation>¿Qué le pasó?</translation>
    </message>
    <message>
        <source>Stolen</source>
        <translation>Robado</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Dañado</translation>
    </message>
    <message>
        <source>What happened?</source>
        <translation>¿Qué pasó?</translation>
    </message>
    <message>
        <source>For example: charges I did not make, a new account opened in my name</source>
        <translation>Por ejemplo: cargos que no hice, una cuenta nueva abierta a mi nombre</translation>
    </message>
    <message>
        <source>Amount lost, in dollars (if known)</source>
        <translation>Cantidad perdida, en dólares (si la sabe)</translation>
    </message>
    <message>
        <source>What is it?</source>
        <translation>¿Qué es?</translation>
    </message>
    <message>
        <source>For example: blue bicycle, brown leather wallet</source>
        <translation>Por ejemplo: bicicleta azul, cartera de cuero café</translation>
    </message>
    <message>
        <source>Value in dollars, for all of them (if known)</source>
        <translation>Valor en dólares, de todos juntos (si lo sabe)</translation>
    </message>
    <message>
        <source>Brand (if known)</source>
        <translation>Marca (si la sabe)</translation>
    </message>
    <message>
        <source>Model (if known)</source>
        <translation>Modelo (si lo sabe)</translation>
    </message>
    <message>
        <source>Serial number (if known)</source>
        <translation>Número de serie (si lo sabe)</translation>
    </message>
    <message>
        <source>Bank or company</source>
        <translation>Banco o empresa</translation>
    </message>
    <message>
        <source>Last 4 digits of the account</source>
        <translation>Últimos 4 dígitos de la cuenta</translation>
    </message>
    <message>
        <source>How many</source>
        <translation>Cuántos</translation>
    </message>
    <message>
        <source>Save item</source>
        <translation>Guardar objeto</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Cancel this item</source>
        <translation>Cancelar este objeto</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Police report kiosk</source>
        <translation>Quiosco de informes policiales</translation>
    </message>
</context>
<context>
    <name>MomentPicker</name>
    <message>
        <source>Day before</source>
        <translation>Día anterior</translation>
    </message>
    <message>
        <source>Day after</source>
        <translation>Día siguiente</translation>
    </message>
    <message>
        <source>Hour later</source>
        <translation>Una hora más tarde</translation>
    </message>
    <message>
        <source>Hour earlier</source>
        <translation>Una hora más temprano</translation>
    </message>
    <message>
        <source>Five minutes later</source>
        <translation>Cinco minutos más tarde</translation>
    </message>
    <message>
        <source>Five minutes earlier</source>
        <translation>Cinco minutos más temprano</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Ayer</translation>
    </message>
    <message>
        <source>%1 days ago</source>
        <translation>Hace %1 días</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>Please choose one answer.</source>
        <translation>Elija una respuesta.</translation>
    </message>
    <message>
        <source>Save this item, or tap Cancel, before going on.</source>
        <translation>Guarde este objeto, o toque Cancelar, antes de seguir.</translation>
    </message>
    <message>
        <source>This item needs a correction: tap Edit.</source>
        <translation>Este objeto necesita una corrección: toque Editar.</translation>
    </message>
    <message>
        <source>Enter your date of birth in numbers: month, day and the year with 4 digits, for example 04 25 1980.</source>
        <translation>Escriba su fecha de nacimiento con números: día, mes y el año con 4 dígitos, por ejemplo 25 04 1980.</translation>
    </message>
    <message>
        <source>Choose a day and time.</source>
        <translation>Elija un día y una hora.</translation>
    </message>
</context>
<context>
    <name>ReferralPage</name>
    <message>
        <source>This kiosk cannot take this report</source>
        <translation>Este quiosco no puede recibir este informe</translation>
    </message>
    <message>
        <source>Call %1 now</source>
        <translation>Llame al %1 ahora</translation>
    </message>
    <message>
        <source>This kiosk cannot take emergencies. If anyone is hurt or in danger, call %1 right away, or tell the desk officer now.</source>
        <translation>Este quiosco no atiende emergencias. Si alguien está herido o en peligro, llame al %1 de inmediato o avise ahora al oficial de recepción.</translation>
    </message>
    <message>
        <source>Please contact the police where it happened</source>
        <translation>Comuníquese con la policía del lugar donde ocurrió</translation>
    </message>
    <message>
        <source>The %1 takes reports only of incidents that happened in %2. Please contact the police department of the town where it happened. If you are not sure which one that is, the desk officer can help.</source>
        <translation>El %1 solo recibe informes de incidentes ocurridos en %2. Comuníquese con el departamento de policía de la ciudad donde ocurrió. Si no sabe cuál es, el oficial de recepción puede ayudarle.</translation>
    </message>
    <message>
        <source>An officer needs to take this report</source>
        <translation>Un oficial debe tomar este informe</translation>
    </message>
    <message>
        <source>Because you know who did it, or there is evidence such as video, a witness or a suspect, an officer can follow it up. Please speak to the desk officer, or call the non-emergency number:</source>
        <translation>Como usted sabe quién lo hizo, o hay evidencia como video, un testigo o un sospechoso, un oficial puede darle seguimiento. Hable con el oficial de recepción o llame al número para casos que no son emergencias:</translation>
    </message>
    <message>
        <source>Please speak to the desk officer</source>
        <translation>Hable con el oficial de recepción</translation>
    </message>
    <message>
        <source>This kiosk takes only four kinds of reports. For anything else, please speak to the desk officer, or call:</source>
        <translation>Este quiosco solo recibe cuatro tipos de informes. Para cualquier otra cosa, hable con el oficial de recepción o llame al:</translation>
    </message>
    <message>
        <source>Nothing you answered has been kept. Tap “Back to the start” when you are done.</source>
        <translation>No se guardó nada de lo que respondió. Toque «Volver al inicio» cuando termine.</translation>
    </message>
</context>
<context>
    <name>ReportWizard</name>
    <message>
        <source>Back to review</source>
        <translation>Volver a la revisión</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <source>Back to the start</source>
        <translation>Volver al inicio</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Terminar</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Submit report</source>
        <translation>Enviar informe</translation>
    </message>
    <message>
        <source>Start over</source>
        <translation>Empezar de nuevo</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Please correct this part (tap Edit):</source>
        <translation>Corrija esta parte (toque Editar):</translation>
    </message>
    <message>
        <source>Check your report</source>
        <translation>Revise su informe</translation>
    </message>
    <message>
        <source>Tap Edit to change a part. Nothing is sent until you tap Submit report.</source>
        <translation>Toque Editar para cambiar una parte. No se envía nada hasta que toque Enviar informe.</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Qué pasó</translation>
    </message>
    <message>
        <source>About you</source>
        <translation>Sus datos</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Objetos</translation>
    </message>
    <message>
        <source>In your words</source>
        <translation>Con sus palabras</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Editar</translation>
    </message>
    <message>
        <source>Edit: %1</source>
        <translation>Editar: %1</translation>
    </message>
    <message>
        <source>Your statement</source>
        <translation>Su declaración</translation>
    </message>
    <message>
        <source>I confirm that this report is true</source>
        <translation>Confirmo que este informe es verdadero</translation>
    </message>
    <message>
        <source>Making a false report to the police is a crime. Under Connecticut law (General Statutes §53a-157b and §53a-180c), a person who knowingly makes a false statement or a false report can be punished.</source>
        <translation>Hacer un informe falso a la policía es un delito. Según la ley de Connecticut (Estatutos Generales §53a-157b y §53a-180c), quien a sabiendas hace una declaración falsa o un informe falso puede ser castigado.</translation>
    </message>
</context>
<context>
    <name>ScreeningPage</name>
    <message>
        <source>Question %1 of %2</source>
        <translation>Pregunta %1 de %2</translation>
    </message>
    <message>
        <source>Is this an emergency? Is anyone hurt or in danger right now?</source>
        <translation>¿Es una emergencia? ¿Hay alguien herido o en peligro ahora mismo?</translation>
    </message>
    <message>
        <source>This kiosk is only for reports that can wait for an officer to review them.</source>
        <translation>Este quiosco es solo para informes que pueden esperar a que un oficial los revise.</translation>
    </message>
    <message>
        <source>Yes, it is an emergency</source>
        <translation>Sí, es una emergencia</translation>
    </message>
    <message>
        <source>No, it is not an emergency</source>
        <translation>No, no es una emergencia</translation>
    </message>
    <message>
        <source>Did it happen in %1?</source>
        <translation>¿Ocurrió en %1?</translation>
    </message>
    <message>
        <source>This kiosk takes reports of incidents that happened in %1.</source>
        <translation>Este quiosco recibe informes de incidentes ocurridos en %1.</translation>
    </message>
    <message>
        <source>Yes, it happened in %1</source>
        <translation>Sí, ocurrió en %1</translation>
    </message>
    <message>
        <source>No, it happened somewhere else</source>
        <translation>No, ocurrió en otro lugar</translation>
    </message>
    <message>
        <source>Do you know who did it? Or is there evidence, such as video, a witness or a suspect?</source>
        <translation>¿Sabe quién lo hizo? ¿O hay evidencia, como un video, un testigo o un sospechoso?</translation>
    </message>
    <message>
        <source>If you know who did it or there is evidence, an officer needs to take the report so it can be followed up.</source>
        <translation>Si sabe quién lo hizo o hay evidencia, un oficial debe tomar el informe para darle seguimiento.</translation>
    </message>
    <message>
        <source>Yes, I know who did it or there is evidence</source>
        <translation>Sí, sé quién lo hizo o hay evidencia</translation>
    </message>
    <message>
        <source>No, I do not know who did it and there is no evidence</source>
        <translation>No, no sé quién lo hizo y no hay evidencia</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>StartOverOverlay</name>
    <message>
        <source>Start over?</source>
        <translation>¿Empezar de nuevo?</translation>
    </message>
    <message>
        <source>Everything you entered will be cleared.</source>
        <translation>Se borrará todo lo que escribió.</translation>
    </message>
    <message>
        <source>Yes, clear everything</source>
        <translation>Sí, borrar todo</translation>
    </message>
    <message>
        <source>No, go back to my report</source>
        <translation>No, volver a mi informe</translation>
    </message>
</context>
<context>
    <name>StatusPage</name>
    <message>
        <source>%1 characters written; please write at least %2.</source>
        <translation>%1 caracteres escritos; escriba al menos %2.</translation>
    </message>
    <message>
        <source>%1 of at most %2 characters.</source>
        <translation>%1 de un máximo de %2 caracteres.</translation>
    </message>
    <message>
        <source>Your report</source>
        <translation>Su informe</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>Su respuesta</translation>
    </message>
    <message>
        <source>Answer the officer&apos;s question in your own words.</source>
        <translation>Responda la pregunta del oficial con sus propias palabras.</translation>
    </message>
    <message>
        <source>Thank you. Your answer was added to your report. An officer will read it.</source>
        <translation>Gracias. Su respuesta se agregó a su informe. Un oficial la leerá.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Send your answer</source>
        <translation>Enviar su respuesta</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Terminar</translation>
    </message>
    <message>
        <source>Finish and go back to the start</source>
        <translation>Terminar y volver al inicio</translation>
    </message>
    <message>
        <source>Tracking number %1, sent on %2</source>
        <translation>Número de seguimiento %1, enviado el %2</translation>
    </message>
</context>
<context>
    <name>Steps</name>
    <message>
        <source>Step %1 of %2</source>
        <translation>Paso %1 de %2</translation>
    </message>
</context>
<context>
    <name>OutOfOrderPage</name>
    <message>
        <source>Out of order</source>
        <translation>Fuera de servicio</translation>
    </message>
    <message>
        <source>This kiosk cannot take reports right now. Please see the desk officer.</source>
        <translation>Este quiosco no puede recibir informes en este momento. Por favor, hable con el oficial de recepción.</translation>
    </message>
    <message>
        <source>If this is an emergency, call %1</source>
        <translation>Si es una emergencia, llame al %1</translation>
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
        <source>Receipts cannot be printed right now; you will get your number on screen.</source>
        <translation>Ahora no se pueden imprimir comprobantes; verá su número en la pantalla.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Comenzar</translation>
    </message>
    <message>
        <source>Start a report</source>
        <translation>Comenzar un informe</translation>
    </message>
    <message>
        <source>Check a report</source>
        <translation>Consultar un informe</translation>
    </message>
    <message>
        <source>Check a report you made before</source>
        <translation>Consultar un informe que hizo antes</translation>
    </message>
</context>
<context>
    <name>WhatPage</name>
    <message>
        <source>Which accounts or charges?</source>
        <translation>¿Qué cuentas o cargos?</translation>
    </message>
    <message>
        <source>Add each account or charge involved. If no account or money was involved, you can go on without adding any.</source>
        <translation>Agregue cada cuenta o cargo afectado. Si no hubo cuentas ni dinero de por medio, puede seguir sin agregar nada.</translation>
    </message>
    <message>
        <source>Add an account or charge</source>
        <translation>Agregar una cuenta o cargo</translation>
    </message>
    <message>
        <source>What was damaged, stolen or lost?</source>
        <translation>¿Qué se dañó, se robó o se perdió?</translation>
    </message>
    <message>
        <source>Add each item. Put things that are alike on one line, for example “3 DVDs”.</source>
        <translation>Agregue cada objeto. Ponga las cosas parecidas en una sola línea, por ejemplo «3 DVD».</translation>
    </message>
    <message>
        <source>Add an item</source>
        <translation>Agregar un objeto</translation>
    </message>
    <message>
        <source>Nothing added yet.</source>
        <translation>Todavía no ha agregado nada.</translation>
    </message>
    <message>
        <source>serial number %1</source>
        <translation>número de serie %1</translation>
    </message>
    <message>
        <source>account ending %1</source>
        <translation>cuenta que termina en %1</translation>
    </message>
    <message>
        <source>%1 of them</source>
        <translation>%1 en total</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Editar</translation>
    </message>
    <message>
        <source>Edit item %1</source>
        <translation>Editar el objeto %1</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <source>Remove item %1</source>
        <translation>Quitar el objeto %1</translation>
    </message>
    <message>
        <source>No items</source>
        <translation>Ningún objeto</translation>
    </message>
</context>
<context>
    <name>WhenPage</name>
    <message>
        <source>When did it happen?</source>
        <translation>¿Cuándo ocurrió?</translation>
    </message>
    <message>
        <source>If you are not sure, give the earliest and the latest it could have been. ◀ ▶ change the day, − and + the time.</source>
        <translation>Si no está seguro, indique lo más temprano y lo más tarde que pudo haber sido. ◀ ▶ cambian el día; − y + la hora.</translation>
    </message>
    <message>
        <source>From (the earliest)</source>
        <translation>Desde (lo más temprano)</translation>
    </message>
    <message>
        <source>To (the latest)</source>
        <translation>Hasta (lo más tarde)</translation>
    </message>
    <message>
        <source>I don&apos;t know the exact time</source>
        <translation>No sé la hora exacta</translation>
    </message>
    <message>
        <source>I don&apos;t know the exact time: give only the days</source>
        <translation>No sé la hora exacta: indicar solo los días</translation>
    </message>
    <message>
        <source>On %1 (exact time not known)</source>
        <translation>El %1 (sin saber la hora exacta)</translation>
    </message>
    <message>
        <source>Between %1 and %2 (exact time not known)</source>
        <translation>Entre el %1 y el %2 (sin saber la hora exacta)</translation>
    </message>
    <message>
        <source>From %1 at %2</source>
        <translation>Desde el %1 a las %2</translation>
    </message>
    <message>
        <source>To %1 at %2</source>
        <translation>Hasta el %1 a las %2</translation>
    </message>
</context>
<context>
    <name>WherePage</name>
    <message>
        <source>Where did it happen?</source>
        <translation>¿Dónde ocurrió?</translation>
    </message>
    <message>
        <source>It must be in %1. If it happened online, give your home address.</source>
        <translation>Debe ser en %1. Si ocurrió por internet, dé la dirección de su casa.</translation>
    </message>
    <message>
        <source>What kind of place was it?</source>
        <translation>¿Qué tipo de lugar era?</translation>
    </message>
    <message>
        <source>A home</source>
        <translation>Una casa</translation>
    </message>
    <message>
        <source>A street</source>
        <translation>Una calle</translation>
    </message>
    <message>
        <source>A parking lot</source>
        <translation>Un estacionamiento</translation>
    </message>
    <message>
        <source>A store or business</source>
        <translation>Una tienda o negocio</translation>
    </message>
    <message>
        <source>A park</source>
        <translation>Un parque</translation>
    </message>
    <message>
        <source>A school</source>
        <translation>Una escuela</translation>
    </message>
    <message>
        <source>A bus or train</source>
        <translation>Un autobús o tren</translation>
    </message>
    <message>
        <source>A vehicle</source>
        <translation>Un vehículo</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Por internet</translation>
    </message>
    <message>
        <source>Somewhere else</source>
        <translation>Otro lugar</translation>
    </message>
    <message>
        <source>Same as my home address</source>
        <translation>La misma dirección de mi casa</translation>
    </message>
    <message>
        <source>Street address or place</source>
        <translation>Dirección o lugar</translation>
    </message>
    <message>
        <source>More about the place (if any)</source>
        <translation>Más detalles del lugar (si hay)</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ciudad</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>ZIP code</source>
        <translation>Código postal</translation>
    </message>
    <message>
        <source>Number and street, or a landmark such as a park</source>
        <translation>Número y calle, o un lugar conocido como un parque</translation>
    </message>
    <message>
        <source>For example: behind the building, 2nd floor</source>
        <translation>Por ejemplo: detrás del edificio, 2.º piso</translation>
    </message>
</context>
<context>
    <name>WhoPage</name>
    <message>
        <source>About you</source>
        <translation>Sus datos</translation>
    </message>
    <message>
        <source>You are the person reporting. An officer uses these details to contact you about your report.</source>
        <translation>Usted es la persona que reporta. Un oficial usará estos datos para comunicarse con usted sobre su informe.</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Apellido</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <source>Home address</source>
        <translation>Dirección de su casa</translation>
    </message>
    <message>
        <source>Apartment, unit or floor (if any)</source>
        <translation>Apartamento, unidad o piso (si hay)</translation>
    </message>
    <message>
        <source>City or town</source>
        <translation>Ciudad o pueblo</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>ZIP code</source>
        <translation>Código postal</translation>
    </message>
    <message>
        <source>Number and street, for example 100 Main St</source>
        <translation>Número y calle, por ejemplo 100 Main St</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>Número de teléfono</translation>
    </message>
    <message>
        <source>With the area code.</source>
        <translation>Con el código de área.</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>Correo electrónico</translation>
    </message>
    <message>
        <source>Why email matters: the officer&apos;s decision and any questions about your report are sent by email.</source>
        <translation>Por qué importa el correo: la decisión del oficial y cualquier pregunta sobre su informe se envían por correo electrónico.</translation>
    </message>
    <message>
        <source>How should an officer contact you?</source>
        <translation>¿Cómo prefiere que un oficial se comunique con usted?</translation>
    </message>
    <message>
        <source>By email</source>
        <translation>Por correo electrónico</translation>
    </message>
    <message>
        <source>By phone</source>
        <translation>Por teléfono</translation>
    </message>
    <message>
        <source>Born %1</source>
        <translation>Nació el %1</translation>
    </message>
    <message>
        <source>Phone: %1</source>
        <translation>Teléfono: %1</translation>
    </message>
    <message>
        <source>Email: %1</source>
        <translation>Correo: %1</translation>
    </message>
    <message>
        <source>Contact me by email</source>
        <translation>Comunicarse conmigo por correo electrónico</translation>
    </message>
    <message>
        <source>Contact me by phone</source>
        <translation>Comunicarse conmigo por teléfono</translation>
    </message>
</context>
</TS>
